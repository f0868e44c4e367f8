using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Serving.Models;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>Readiness, batching and the prediction log of a running host.</summary>
public abstract class ServingHostTests(KeelServerFixture server)
{
    private static StringContent OneRow(float distance) => new(
        $$"""{"dataframe_records": [{"Distance": {{distance}}, "Hour": 9, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_Is503UntilTheModelIsLoaded_ThenInvocationsAnswer()
    {
        var model = await ServedTinyModel.OnAsync(server);
        var cache = Directory.CreateTempSubdirectory("keel-serving-cache-").FullName;
        var release = new TaskCompletionSource();
        var load = ServingRunner.FromRegistry(server, $"models:/{model.ColumnModel}@champion", cache);
        await using var host = await ServingRunner.StartAsync(async ct =>
        {
            await release.Task.WaitAsync(ct);
            return await load(ct);
        }, cache, _ => { }, waitUntilReady: false);

        var before = await host.Http.GetAsync("/health");
        var ping = await host.Http.GetAsync("/ping");
        var early = await host.Http.PostAsync("/invocations", OneRow(100));
        release.SetResult();
        await host.WaitUntilReadyAsync();
        var after = await host.Http.PostAsync("/invocations", OneRow(100));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await host.Http.GetStringAsync("/version")));
    }

    [Fact]
    public async Task ConcurrentRequests_AreCoalescedIntoFewerModelCalls()
    {
        var model = await ServedTinyModel.OnAsync(server);
        await using var host = await ServingRunner.StartAsync(server, $"models:/{model.ColumnModel}@champion", log: false,
            configure: o => o.MaxDelay = TimeSpan.FromMilliseconds(50));
        const int Requests = 64;

        var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => host.Http.PostAsync("/invocations", OneRow(100 + i))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var calls = await host.MetricAsync("keel_serving_batch_rows_count", model.ColumnModel);
        var rows = await host.MetricAsync("keel_serving_batch_rows_sum", model.ColumnModel);
        Assert.Equal(Requests, rows);
        Assert.True(calls < Requests, $"{Requests} concurrent requests took {calls} model calls; expected some to share one.");
        Assert.Equal(Requests, await host.MetricAsync("keel_serving_requests_total", model.ColumnModel));
    }

    [Fact]
    public async Task LoneRequest_DoesNotWaitForTheBatchDelay()
    {
        var model = await ServedTinyModel.OnAsync(server);
        // A delay no test would sit through: a lone request that waited for it would time out below.
        await using var host = await ServingRunner.StartAsync(server, $"models:/{model.ColumnModel}@champion", log: false,
            configure: o => o.MaxDelay = TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            (await host.Http.PostAsync("/invocations", OneRow(100 + i), timeout.Token)).EnsureSuccessStatusCode();
        }

        Assert.Equal(3, await host.MetricAsync("keel_serving_batch_rows_count", model.ColumnModel));
    }

    [Fact]
    public async Task PredictionLog_HasOneRowPerPrediction_WithTheAnsweredIds_AfterAGracefulShutdown()
    {
        var model = await ServedTinyModel.OnAsync(server);
        var name = model.ColumnModel;
        var before = await PredictionLogReader.ReadAllAsync(server.Http, name, pageSize: 50);
        var host = await ServingRunner.StartAsync(server, $"models:/{name}@champion", configure: o => o.LogBatchSize = 7);
        var ids = new List<string>();
        await using (host)
        {
            const int Requests = 120;
            var responses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/invocations") { Content = OneRow(1000 + i) };
                request.Headers.Add("X-Keel-Request-Key", "key-" + i);
                return await host.Http.SendAsync(request);
            }));
            ids.AddRange(responses.Select(r => Assert.Single(r.EnsureSuccessStatusCode().Headers.GetValues("X-Keel-Prediction-Id"))));
            await host.StopAsync();
        }

        var logged = (await PredictionLogReader.ReadAllAsync(server.Http, name, pageSize: 50)).Where(p => !before.Any(b => (string)b["prediction_id"]! == (string)p["prediction_id"]!)).ToList();
        Assert.Equal(ids.Order(), logged.Select(p => (string)p["prediction_id"]!).Order());
        var row = logged.First();
        Assert.Equal(1, (long)row["model_version"]!);
        Assert.StartsWith("key-", (string)row["request_key"]!, StringComparison.Ordinal);
        Assert.Equal("ORD", (string)row["inputs"]!["Origin"]!);
        Assert.NotNull(row["outputs"]!["Score"]);
    }

    [Fact]
    public async Task PredictionLog_WhenItsQueueIsFull_DropsAndCountsInsteadOfSlowingRequests()
    {
        var model = await ServedTinyModel.OnAsync(server);
        // Nothing listens on the log's address, so the first batch stays in retry and the one-slot queue fills.
        using var unused = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        unused.Start();
        var deadAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)unused.LocalEndpoint).Port}/");
        unused.Stop();
        await using var host = await ServingRunner.StartAsync(server, $"models:/{model.ColumnModel}@champion",
            configure: o =>
            {
                o.PredictionLogUri = deadAddress;
                o.LogQueueCapacity = 1;
            },
            hostArguments: ["--shutdownTimeoutSeconds", "2"]);

        for (var i = 0; i < 10; i++)
        {
            (await host.Http.PostAsync("/invocations", OneRow(100 + i))).EnsureSuccessStatusCode();
        }

        var dropped = await host.MetricAsync("keel_serving_prediction_log_dropped_total");
        Assert.InRange(dropped, 8, 9);
        Assert.Equal(10, await host.MetricAsync("keel_serving_requests_total", model.ColumnModel));
    }
}

public sealed class ServingHostTestsOnSqlite(KeelServerFixture server) : ServingHostTests(server), IClassFixture<KeelServerFixture>;

public sealed class ServingHostTestsOnPostgres(PostgresKeelServerFixture server) : ServingHostTests(server), IClassFixture<PostgresKeelServerFixture>;
