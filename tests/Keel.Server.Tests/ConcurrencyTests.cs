namespace Keel.Server.Tests;

public abstract class ConcurrencyTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new MlflowApi(server.Http);

    [Fact]
    public async Task ThirtyTwoWriters_ToOneRun_LoseNoPoint()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        const int writers = 32;
        const int singles = 40;
        const int batchSize = 50;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            for (var i = 0; i < singles; i++)
            {
                (await _api.PostAsync("/runs/log-metric", new { run_id = runId, key = "single", value = (double)i, timestamp = 1L, step = (writer * 1000L) + i })).Ok();
            }

            var metrics = Enumerable.Range(0, batchSize).Select(i => new { key = "batched", value = 1.0, timestamp = 1L, step = (writer * 1000L) + i }).ToArray();
            (await _api.PostAsync("/runs/log-batch", new { run_id = runId, metrics, @params = new[] { new { key = $"writer-{writer}", value = "x" } } })).Ok();
            (await _api.PostAsync("/runs/set-tag", new { run_id = runId, key = "last-writer", value = writer.ToString() })).Ok();
        }));

        var single = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=single")).Ok().Json["metrics"]!.AsArray();
        var batched = (await _api.GetAsync($"/metrics/get-history?run_id={runId}&metric_key=batched")).Ok().Json["metrics"]!.AsArray();
        Assert.Equal(writers * singles, single.Count);
        Assert.Equal(writers * singles, single.Select(m => (long)m!["step"]!).Distinct().Count());
        Assert.Equal(writers * batchSize, batched.Count);
        var run = await _api.GetRunAsync(runId);
        Assert.Equal(writers, run["data"]!["params"]!.AsArray().Count);
        var latest = run["data"]!["metrics"]!.AsArray().Single(m => (string)m!["key"]! == "single")!;
        Assert.Equal(((writers - 1) * 1000L) + singles - 1, (long)latest["step"]!);
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneExperimentName_ExactlyOneWins()
    {
        var name = "race-" + Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => _api.PostAsync("/experiments/create", new { name })));

        Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.OK), r => r.Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS"));
    }

    [Fact]
    public async Task OneBadRequest_InASharedCommit_DoesNotFailItsNeighbours()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "fixed", value = "1" })).Ok();

        var good = Enumerable.Range(0, 50).Select(i => _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = $"k{i}", value = "v" }));
        var bad = Enumerable.Range(0, 10).Select(_ => _api.PostAsync("/runs/log-parameter", new { run_id = runId, key = "fixed", value = "2" }));
        var results = await Task.WhenAll(good.Concat(bad));

        Assert.Equal(50, results.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(10, results.Count(r => r.Status == HttpStatusCode.BadRequest));
        Assert.Equal(51, (await _api.GetRunAsync(runId))["data"]!["params"]!.AsArray().Count);
    }
}

public sealed class ConcurrencyTestsOnSqlite(KeelServerFixture server) : ConcurrencyTests(server), IClassFixture<KeelServerFixture>;

public sealed class ConcurrencyTestsOnPostgres(PostgresKeelServerFixture server) : ConcurrencyTests(server), IClassFixture<PostgresKeelServerFixture>;
