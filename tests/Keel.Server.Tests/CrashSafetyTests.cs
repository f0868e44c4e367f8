using System.Collections.Concurrent;

namespace Keel.Server.Tests;

public abstract class CrashSafetyTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "keel-crash-" + Guid.NewGuid().ToString("N"));

    /// <summary>Server arguments that choose the metadata database.</summary>
    protected abstract string[] Backend { get; }

    [Fact]
    public async Task KillDashNine_DuringLogging_LosesNoAcknowledgedWrite()
    {
        var acknowledged = new ConcurrentBag<long>();
        var acknowledgedParams = new ConcurrentBag<string>();
        string runId;
        await using (var server = await ServerProcess.StartAsync(_data, Backend))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var api = new MlflowApi(http);
            runId = await api.CreateRunAsync(await api.CreateExperimentAsync("crash"));

            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var first = (writer * 1_000_000L) + (batch * 100L);
                    var metrics = Enumerable.Range(0, 100).Select(i => new { key = "m", value = (double)i, timestamp = 1L, step = first + i }).ToArray();
                    var param = new { key = $"p-{writer}-{batch}", value = "v" };
                    try
                    {
                        var response = await api.PostAsync("/runs/log-batch", new { run_id = runId, metrics, @params = new[] { param } });
                        if (response.Status == HttpStatusCode.OK)
                        {
                            foreach (var m in metrics)
                            {
                                acknowledged.Add(m.step);
                            }

                            acknowledgedParams.Add(param.key);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server died mid-request: not acknowledged, nothing is promised
                    }
                }
            })).ToArray();

            // Let real traffic build up, then pull the plug while requests are in flight.
            while (acknowledged.Count < 20_000)
            {
                await Task.Delay(20);
            }

            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using (var restarted = await ServerProcess.StartAsync(_data, Backend))
        {
            using var http = new HttpClient { BaseAddress = restarted.BaseAddress };
            var api = new MlflowApi(http);
            var history = (await api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=m")).Ok().Json["metrics"]!.AsArray();
            var stored = history.Select(m => (long)m!["step"]!).ToHashSet();
            var missing = acknowledged.Where(step => !stored.Contains(step)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged points are missing after the crash");

            var parameters = (await api.GetRunAsync(runId))["data"]!["params"]!.AsArray().Select(p => (string)p!["key"]!).ToHashSet();
            Assert.All(acknowledgedParams, key => Assert.Contains(key, parameters));
        }
    }

    [Fact]
    public async Task SigTerm_StopsCleanly_AndTheDataIsThereOnRestart()
    {
        string runId;
        await using (var server = await ServerProcess.StartAsync(_data, Backend))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            var api = new MlflowApi(http);
            runId = await api.CreateRunAsync(await api.CreateExperimentAsync("sigterm"));
            (await api.PostAsync("/runs/log-metric", new { run_id = runId, key = "m", value = 1.0, timestamp = 1L })).Ok();

            Assert.Equal(0, await server.TerminateAsync());
        }

        await using var restarted = await ServerProcess.StartAsync(_data, Backend);
        using var again = new HttpClient { BaseAddress = restarted.BaseAddress };
        Assert.Single((await new MlflowApi(again).GetRunAsync(runId))["data"]!["metrics"]!.AsArray());
    }

    public void Dispose()
    {
        KeelServerFixture.TryDelete(_data);
        GC.SuppressFinalize(this);
    }
}

public sealed class CrashSafetyTestsOnSqlite : CrashSafetyTests
{
    protected override string[] Backend => [];
}

public sealed class CrashSafetyTestsOnPostgres(PostgresBackend postgres) : CrashSafetyTests, IClassFixture<PostgresBackend>
{
    protected override string[] Backend => postgres.Arguments;
}
