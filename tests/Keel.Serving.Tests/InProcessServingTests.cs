using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Serving.Models;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>
/// Deployments served by the Keel server itself at <c>/deployments/{name}/invocations</c>: the scoring protocol with the
/// same headers and log, following revisions and aliases through the store, zero failed requests while they change.
/// </summary>
public abstract class InProcessServingTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private static StringContent OneRow(float distance = 120) => new(
        $$"""{"dataframe_records": [{"Distance": {{distance}}, "Hour": 9, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json");

    private static async Task<string> VersionAsync(HttpClient http, string deployment, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/deployments/{deployment}/invocations") { Content = OneRow() };
        if (key is not null)
        {
            request.Headers.Add("X-Keel-Request-Key", key);
        }

        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("X-Keel-Model-Version").Single();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Invocations_AnswerWithTheDeployment_SplitTheCanary_AndLogEveryPrediction()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-inproc";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1", new DeploymentCanary($"models:/{model}/2", 20));

        using var response = await server.Http.PostAsync($"/deployments/{deployment}/invocations", OneRow());
        var keyed = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => VersionAsync(server.Http, deployment, "user-" + i)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Keel-Prediction-Id").Single(), out _));
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["predictions"]);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal(ServingTarget.Bucket("user-" + i) < 20 ? "2" : "1", keyed[i]));
        Assert.InRange(keyed.Count(v => v == "2"), 150, 250);
        List<JsonNode> logged = [];
        await UntilAsync(async () => (logged = await PredictionLogReader.ReadAllAsync(server.Http, model)).Count >= 1001, "1001 predictions are logged");
        Assert.Equal(1001, logged.Count);
        Assert.All(logged, p => Assert.Equal(deployment, (string)p["deployment"]!));
        Assert.Equal(keyed.Count(v => v == "2") + (response.Headers.GetValues("X-Keel-Model-Version").Single() == "2" ? 1 : 0),
            logged.Count(p => (long)p["model_version"]! == 2));
        Assert.Equal("LIVE", (await _client.Deployments.GetAsync(deployment)).Latest.Status);
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains($"keel_serving_requests_total{{model=\"{model}\",version=\"2\"}} {logged.Count(p => (long)p["model_version"]! == 2)}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traffic_CountsAnsweredAndFailedRequestsPerVersionAndMinute_WithLatencyQuantiles()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-traffic";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1", new DeploymentCanary($"models:/{model}/2", 50));

        var answered = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => VersionAsync(server.Http, deployment, "user-" + i)));
        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var bad = await server.Http.PostAsync($"/deployments/{deployment}/invocations",
                new StringContent("""{"dataframe_records": [{"Distance": "far"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // Hosts add their counts every few seconds (Serving:TrafficFlushInterval).
        Dictionary<long, (long Requests, long Errors)> totals = [];
        await UntilAsync(async () => (totals = await TrafficApi.TotalsAsync(server.Http, deployment)).Values.Sum(t => t.Requests + t.Errors) >= 63,
            "63 requests are counted");
        Assert.Equal(answered.Count(v => v == "1"), totals.GetValueOrDefault(1).Requests);
        Assert.Equal(answered.Count(v => v == "2"), totals.GetValueOrDefault(2).Requests);
        Assert.Equal(3, totals.Values.Sum(t => t.Errors));
        var minutes = await TrafficApi.MinutesAsync(server.Http, deployment);
        Assert.All(minutes, m =>
        {
            Assert.Equal(0, (long)m!["minute"]! % 60_000);
            Assert.Equal((long)m["requests"]!, m["latency_buckets"]!.AsArray().Sum(b => (long)b!));
            if ((long)m["requests"]! > 0)
            {
                Assert.InRange((double)m["p50_ms"]!, 0, (double)m["p99_ms"]!);
            }
        });
    }

    [Fact]
    public async Task TrafficPosts_WithBadCountsOrForAnUnknownDeployment_AreRefusedAndAddNothing()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-traffic-bad";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        var minute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        object Row(long requests, long[] buckets, long at) => new { minute = at, model_name = model, model_version = 1, requests, errors = 0, latency_buckets = buckets };
        var good = new long[12];
        good[3] = 5;

        using var sumWrong = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/traffic", new { minutes = new[] { Row(5, new long[12], minute) } });
        using var notAMinute = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/traffic", new { minutes = new[] { Row(5, good, minute + 1) } });
        using var unknown = await server.Http.PostAsJsonAsync("/api/keel/v1/deployments/no-such-deployment/traffic", new { minutes = new[] { Row(5, good, minute) } });
        using var accepted = await server.Http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/traffic", new { minutes = new[] { Row(5, good, minute), Row(5, good, minute) } });

        Assert.Equal(HttpStatusCode.BadRequest, sumWrong.StatusCode);
        Assert.Contains("add up to requests", await sumWrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notAMinute.StatusCode);
        Assert.Equal("application/problem+json", notAMinute.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        // Two increments of the same minute add up; the refused posts added nothing.
        Assert.Equal((10L, 0L), (await TrafficApi.TotalsAsync(server.Http, deployment))[1]);
        var only = Assert.Single(await TrafficApi.MinutesAsync(server.Http, deployment))!;
        Assert.Equal((2.5 + 5) / 2, (double)only["p50_ms"]!);
    }

    [Fact]
    public async Task UnknownDeployment_Is404ProblemDetails_AndBadInputIsTheScoringProtocolsError()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        await _client.Deployments.CreateAsync(model + "-bad-input", $"models:/{model}/1");

        using var unknown = await server.Http.PostAsync("/deployments/no-such-deployment/invocations", OneRow());
        using var badInput = await server.Http.PostAsync($"/deployments/{model}-bad-input/invocations",
            new StringContent("""{"dataframe_records": [{"Distance": "far"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = (await unknown.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string)problem["errorCode"]!);
        Assert.Contains("no-such-deployment", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badInput.StatusCode);
        Assert.Equal("BAD_REQUEST", (string)(await badInput.Content.ReadFromJsonAsync<JsonObject>())!["error_code"]!);
        Assert.Empty(await PredictionLogReader.ReadAllAsync(server.Http, model));
    }

    [Fact]
    public async Task AliasMoveAndRollback_UnderLoad_AnswerEveryRequest_RecordRevisions_AndPinTheRolledBackVersion()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-alias";
        await _client.SetModelAliasAsync(model, "champion", 1);
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}@champion");
        Assert.Equal("1", await VersionAsync(server.Http, deployment));
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.Http.PostAsync($"/deployments/{deployment}/invocations", OneRow());
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }

                seen.AddOrUpdate(response.Headers.GetValues("X-Keel-Model-Version").Single(), 1, (_, n) => n + 1);
            }
        })).ToList();

        await _client.SetModelAliasAsync(model, "champion", 2);
        await UntilAsync(async () => await VersionAsync(server.Http, deployment) == "2", "the alias's new version answers");
        await _client.Deployments.RollbackAsync(deployment);
        await UntilAsync(async () => await VersionAsync(server.Http, deployment) == "1", "version 1 answers after the rollback");
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(seen.GetValueOrDefault("1") > 0 && seen.GetValueOrDefault("2") > 0, $"Both versions answered under load: {string.Join(", ", seen)}");
        var after = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => VersionAsync(server.Http, deployment)));
        Assert.All(after, v => Assert.Equal("1", v));
        var revisions = await _client.Deployments.ListRevisionsAsync(deployment);
        Assert.Equal([3L, 2, 1], revisions.Select(r => r.Revision));
        Assert.Equal(["rolled back to revision 1", $"alias champion of {model} moved to version 2", "created"], revisions.Select(r => r.Cause));
        Assert.Equal([1L, 2, 1], revisions.Select(r => r.ModelVersion ?? 0));
        Assert.Equal($"models:/{model}/1", revisions[0].Model);
        Assert.Equal($"models:/{model}@champion", revisions[1].Model);

        // Rolled back means pinned: moving the alias again no longer changes the deployment.
        await _client.SetModelAliasAsync(model, "champion", 1);
        await _client.SetModelAliasAsync(model, "champion", 2);
        Assert.Equal(3, (await _client.Deployments.GetAsync(deployment)).Latest.Revision);
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VersionAsync(server.Http, deployment))), v => Assert.Equal("1", v));
    }

    [Fact]
    public async Task CanaryWeightChanges_UnderLoad_AnswerEveryRequest()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-weights";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1", new DeploymentCanary($"models:/{model}/2", 0));
        Assert.Equal("1", await VersionAsync(server.Http, deployment));
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.Http.PostAsync($"/deployments/{deployment}/invocations", OneRow());
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })).ToList();

        foreach (var percent in new[] { 50L, 100 })
        {
            var revision = (await _client.Deployments.SetCanaryAsync(deployment, new DeploymentCanary($"models:/{model}/2", percent))).Latest.Revision;
            await UntilAsync(async () => (await _client.Deployments.ListRevisionsAsync(deployment))[0] is { Status: "LIVE" } r && r.Revision == revision,
                $"the canary at {percent}% is LIVE");
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => VersionAsync(server.Http, deployment))), v => Assert.Equal("2", v));
    }

    [Fact]
    public async Task SettingAnAliasToTheVersionItAlreadyNames_AddsNoRevision()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-same";
        await _client.SetModelAliasAsync(model, "champion", 1);
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}@champion", new DeploymentCanary($"models:/{model}@champion", 10));

        await _client.SetModelAliasAsync(model, "champion", 1);
        await _client.SetModelAliasAsync(model, "other", 2);
        await _client.SetModelAliasAsync(model, "champion", 2);

        // One revision for the move, though two of its URIs follow the alias.
        var revisions = await _client.Deployments.ListRevisionsAsync(deployment);
        Assert.Equal([2L, 1], revisions.Select(r => r.Revision));
        Assert.Equal(2, revisions[0].ModelVersion);
        Assert.Equal(2, revisions[0].CanaryVersion);
    }

    [Fact]
    public async Task DeletedDeployment_StopsBeingServed_AndIsThen404()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-deleted";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        Assert.Equal("1", await VersionAsync(server.Http, deployment));

        await _client.Deployments.DeleteAsync(deployment);

        // Until the server's next look at the store (within a second) the loaded revision keeps answering.
        var answered = 1;
        await UntilAsync(async () =>
        {
            using var response = await server.Http.PostAsync($"/deployments/{deployment}/invocations", OneRow());
            answered += response.IsSuccessStatusCode ? 1 : 0;
            return response.StatusCode == HttpStatusCode.NotFound;
        }, "the deleted deployment answers 404");
        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.Deployments.GetAsync(deployment));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        List<JsonNode> logged = [];
        await UntilAsync(async () => (logged = await PredictionLogReader.ReadAllAsync(server.Http, model)).Count >= answered, "every answered request is logged");
        Assert.Equal(answered, logged.Count);
    }

    [Fact]
    public async Task RevisionThatCannotLoad_IsMarkedFailed_AndTheOldModelKeepsAnswering()
    {
        var model = await ServedTinyModel.RegisterVersionsAsync(server);
        var deployment = model + "-broken";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        Assert.Equal("1", await VersionAsync(server.Http, deployment));

        await _client.Deployments.SetModelAsync(deployment, $"models:/{model}/3");
        await UntilAsync(async () => (await _client.Deployments.GetAsync(deployment)).Latest.Status == "FAILED", "revision 2 is marked FAILED");

        Assert.All(await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VersionAsync(server.Http, deployment))), v => Assert.Equal("1", v));
        var broken = model + "-broken-from-start";
        await _client.Deployments.CreateAsync(broken, $"models:/{model}/3");
        using var response = await server.Http.PostAsync($"/deployments/{broken}/invocations", OneRow());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("FAILED", (await _client.Deployments.GetAsync(broken)).Latest.Status);
    }
}

public sealed class InProcessServingTestsOnSqlite(KeelServerFixture server) : InProcessServingTests(server), IClassFixture<KeelServerFixture>;

public sealed class InProcessServingTestsOnPostgres(PostgresKeelServerFixture server) : InProcessServingTests(server), IClassFixture<PostgresKeelServerFixture>;
