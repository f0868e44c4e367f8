using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>The run scope (<see cref="KeelClient.StartRunAsync"/>) against a real Keel server.</summary>
public abstract class ActiveRunIntegrationTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private async Task<string> CreateExperimentAsync() => await _client.CreateExperimentAsync("scope-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Dispose_AfterLoggingFromSeveralThreads_StoresEveryValueAndEndsFinished()
    {
        const int Threads = 6;
        const int Steps = 700;
        string runId;
        await using (var run = await _client.StartRunAsync(await CreateExperimentAsync(), "parallel"))
        {
            runId = run.RunId;
            run.LogParam("threads", Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
            run.SetTag("stage", "train");
            await Task.WhenAll(Enumerable.Range(0, Threads).Select(thread => Task.Run(() =>
            {
                for (var step = 0; step < Steps; step++)
                {
                    run.LogMetric($"worker_{thread}", thread * 10_000 + step, step);
                }
            })));
        }

        var stored = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, stored.Info.Status);
        Assert.NotNull(stored.Info.EndTime);
        Assert.Contains(new Param("threads", "6"), stored.Data.Params);
        Assert.Contains(new Tag("stage", "train"), stored.Data.Tags);
        for (var thread = 0; thread < Threads; thread++)
        {
            var history = await _client.GetMetricHistoryAsync(runId, $"worker_{thread}");
            Assert.Equal(Enumerable.Range(0, Steps).Select(step => (long)step), history.Select(m => m.Step));
            Assert.Equal(Enumerable.Range(0, Steps).Select(step => (double)(thread * 10_000 + step)), history.Select(m => m.Value));
        }
    }

    [Fact]
    public async Task Dispose_AfterMarkFailed_EndsTheRunFailed()
    {
        string runId;
        await using (var run = await _client.StartRunAsync(await CreateExperimentAsync()))
        {
            runId = run.RunId;
            run.LogMetric("loss", 0.5);
            run.MarkFailed();
        }

        var stored = await _client.GetRunAsync(runId);
        Assert.Equal(RunStatus.Failed, stored.Info.Status);
        Assert.NotNull(stored.Info.EndTime);
        Assert.Equal(0.5, Assert.Single(stored.Data.Metrics).Value);
    }

    [Fact]
    public async Task Flush_AfterTheServerRejectsABackgroundBatch_ThrowsInvalidParameterValue()
    {
        var run = await _client.StartRunAsync(await CreateExperimentAsync());
        run.LogParam("lr", "0.01");
        await run.FlushAsync();

        run.LogParam("lr", "0.02");
        var error = await Assert.ThrowsAsync<KeelApiException>(() => run.FlushAsync());

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
        await Assert.ThrowsAsync<KeelApiException>(async () => await run.DisposeAsync());
        var stored = await _client.GetRunAsync(run.RunId);
        Assert.Equal(RunStatus.Failed, stored.Info.Status);
        Assert.Equal([new Param("lr", "0.01")], stored.Data.Params);
    }

    [Fact]
    public async Task Dispose_AfterTheServerRejectsABackgroundBatch_ThrowsInvalidParameterValueAndEndsFailed()
    {
        string? runId = null;
        var error = await Assert.ThrowsAsync<KeelApiException>(async () =>
        {
            await using var run = await _client.StartRunAsync(await CreateExperimentAsync());
            runId = run.RunId;
            run.LogParam("lr", "0.01");
            await run.FlushAsync();
            run.LogParam("lr", "0.02");
        });

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("lr", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, (await _client.GetRunAsync(runId!)).Info.Status);
    }
}

public sealed class ActiveRunIntegrationTestsOnSqlite(KeelServerFixture server) : ActiveRunIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class ActiveRunIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : ActiveRunIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
