using System.Net;
using System.Text.Json;

namespace Keel.Client.Tests;

public class ActiveRunTests
{
    private const string RunJson = """{"run": {"info": {"run_id": "r1", "experiment_id": "1", "status": "RUNNING"}}}""";

    private sealed class FakeServer
    {
        public FakeServer(Func<SentRequest, HttpResponseMessage?>? logBatch = null)
        {
            Handler = new FakeHandler(request => request.Path switch
            {
                "/api/2.0/mlflow/runs/create" => FakeHandler.Json(RunJson),
                "/api/2.0/mlflow/runs/update" => FakeHandler.Json("""{"run_info": {"run_id": "r1"}}"""),
                "/api/2.0/mlflow/runs/log-batch" => logBatch?.Invoke(request) ?? FakeHandler.Json("{}"),
                _ => FakeHandler.Json("""{"error_code": "ENDPOINT_NOT_FOUND", "message": "no"}""", HttpStatusCode.NotFound),
            });
        }

        public FakeHandler Handler { get; }

        public List<JsonElement> Batches => Bodies("/api/2.0/mlflow/runs/log-batch");

        public List<JsonElement> Bodies(string path) =>
            Handler.Requests.Where(r => r.Path == path).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();

        public JsonElement Update => Assert.Single(Bodies("/api/2.0/mlflow/runs/update"));
    }

    private static int Count(IEnumerable<JsonElement> batches, string kind) => batches.Sum(b => b.GetProperty(kind).GetArrayLength());

    [Fact]
    public async Task Dispose_SendsEverythingQueued_AndEndsRunFinished()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();

        await using (var run = await client.StartRunAsync("1", "baseline"))
        {
            Assert.Equal("r1", run.RunId);
            run.LogParam("lr", "0.01");
            run.SetTag("stage", "train");
            for (var step = 0; step < 2500; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
            }
        }

        var batches = server.Batches;
        Assert.Equal(2500, Count(batches, "metrics"));
        Assert.Equal(1, Count(batches, "params"));
        Assert.Equal(1, Count(batches, "tags"));
        Assert.All(batches, b => Assert.InRange(b.GetProperty("metrics").GetArrayLength(), 0, 1000));
        Assert.All(batches, b => Assert.Equal("r1", b.GetProperty("run_id").GetString()));
        var steps = batches.SelectMany(b => b.GetProperty("metrics").EnumerateArray()).Select(m => m.GetProperty("step").GetInt64());
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => (long)i), steps);

        Assert.Equal("FINISHED", server.Update.GetProperty("status").GetString());
        Assert.True(server.Update.GetProperty("end_time").GetInt64() > 0);
        Assert.Equal("/api/2.0/mlflow/runs/update", server.Handler.Requests.Last().Path);
    }

    [Fact]
    public async Task LogParamsAndTags_BeyondLimits_SplitsBatches()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();

        await using (var run = await client.StartRunAsync("1"))
        {
            for (var i = 0; i < 250; i++)
            {
                run.LogParam($"p{i}", "v");
                run.SetTag($"t{i}", "v");
            }
        }

        Assert.All(server.Batches, b =>
        {
            Assert.InRange(b.GetProperty("params").GetArrayLength(), 0, 100);
            Assert.InRange(b.GetProperty("tags").GetArrayLength(), 0, 100);
        });
        Assert.Equal(250, Count(server.Batches, "params"));
        Assert.Equal(250, Count(server.Batches, "tags"));
    }

    [Fact]
    public async Task Flush_ReturnsAfterQueuedValuesAreOnTheServer()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();
        await using var run = await client.StartRunAsync("1");

        run.LogMetric("acc", 0.5);
        run.LogMetric("acc", 0.7, step: 1);
        await run.FlushAsync();

        Assert.Equal(2, Count(server.Batches, "metrics"));
        Assert.Empty(server.Bodies("/api/2.0/mlflow/runs/update"));
    }

    [Fact]
    public async Task MarkFailed_EndsRunFailed()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();

        await using (var run = await client.StartRunAsync("1"))
        {
            run.MarkFailed();
        }

        Assert.Equal("FAILED", server.Update.GetProperty("status").GetString());
    }

    [Fact]
    public async Task BackgroundFailure_IsThrownByFlushAndDispose_AndRunEndsFailed()
    {
        var server = new FakeServer(_ => FakeHandler.Json(
            """{"error_code": "INVALID_PARAMETER_VALUE", "message": "Param 'lr' already logged with a different value"}""", HttpStatusCode.BadRequest));
        using var client = server.Handler.CreateClient();
        var run = await client.StartRunAsync("1");

        run.LogParam("lr", "0.2");
        var flushError = await Assert.ThrowsAsync<KeelApiException>(() => run.FlushAsync());
        run.LogMetric("after", 1);
        var disposeError = await Assert.ThrowsAsync<KeelApiException>(async () => await run.DisposeAsync());

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, flushError.ErrorCode);
        Assert.Same(flushError, disposeError);
        Assert.Single(server.Batches);
        Assert.Equal("FAILED", server.Update.GetProperty("status").GetString());
    }

    [Fact]
    public async Task UnreachableServer_DuringLogging_IsThrownByDispose()
    {
        var server = new FakeServer(_ => throw new HttpRequestException("Connection refused"));
        using var client = server.Handler.CreateClient();
        var run = await client.StartRunAsync("1");

        run.LogMetric("loss", 1);

        await Assert.ThrowsAsync<HttpRequestException>(async () => await run.DisposeAsync());
    }

    [Fact]
    public async Task Log_AfterDispose_ThrowsObjectDisposedException()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();
        var run = await client.StartRunAsync("1");
        await run.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => run.LogMetric("loss", 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => run.FlushAsync());
        await run.DisposeAsync();
        Assert.Single(server.Bodies("/api/2.0/mlflow/runs/update"));
    }

    [Fact]
    public async Task LogMetric_FromManyThreads_SendsEveryValue()
    {
        var server = new FakeServer();
        using var client = server.Handler.CreateClient();

        await using (var run = await client.StartRunAsync("1"))
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
            {
                for (var i = 0; i < 500; i++)
                {
                    run.LogMetric($"w{worker}", i, i);
                }
            })));
        }

        Assert.Equal(2000, Count(server.Batches, "metrics"));
    }
}
