using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Serving.Inputs;
using Keel.Serving.Models;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>A host following a deployment: canary split, swaps under load, rollback, and a revision that cannot load.</summary>
public abstract class DeploymentServingTests(KeelServerFixture server)
{
    private readonly KeelClient _client = new(server.Http);

    private static StringContent OneRow(float distance) => new(
        $$"""{"dataframe_records": [{"Distance": {{distance}}, "Hour": 9, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json");

    private Task<string> RegisterVersionsAsync() => ServedTinyModel.RegisterVersionsAsync(server);

    private static async Task<string> VersionAsync(ServingRunner host, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invocations") { Content = OneRow(120) };
        if (key is not null)
        {
            request.Headers.Add("X-Keel-Request-Key", key);
        }

        using var response = await host.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
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
    public async Task Canary_TakesItsShare_AndARequestKeyAlwaysGoesToTheSameModel()
    {
        var model = await RegisterVersionsAsync();
        var deployment = model + "-canary";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1", new DeploymentCanary($"models:/{model}/2", 20));
        await using var host = await ServingRunner.FollowAsync(server, deployment);

        var random = await Task.WhenAll(Enumerable.Range(0, 2000).Select(_ => VersionAsync(host)));
        var keyed = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => VersionAsync(host, "user-" + i)));
        var fixedKey = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => VersionAsync(host, "user-7")));

        Assert.InRange(random.Count(v => v == "2"), 320, 480);
        Assert.InRange(keyed.Count(v => v == "2"), 320, 480);
        Assert.Single(fixedKey.Distinct());
        Assert.Equal(ServingTarget.Bucket("user-7") < 20 ? "2" : "1", fixedKey[0]);
        Assert.All(Enumerable.Range(0, 2000), i => Assert.Equal(ServingTarget.Bucket("user-" + i) < 20 ? "2" : "1", keyed[i]));

        await host.StopAsync();
        var logged = await PredictionLogReader.ReadAllAsync(server.Http, model);

        Assert.Equal(4050, logged.Count);
        Assert.All(logged, p =>
        {
            Assert.Equal(deployment, (string)p["deployment"]!);
            Assert.Equal(1, (long)p["revision"]!);
        });
        Assert.Equal(random.Count(v => v == "2") + keyed.Count(v => v == "2") + fixedKey.Count(v => v == "2"),
            logged.Count(p => (long)p["model_version"]! == 2));
        Assert.Equal("LIVE", (await _client.Deployments.GetAsync(deployment)).Latest.Status);
        // The host added its traffic counts over HTTP, the last of them while stopping.
        var traffic = await TrafficApi.TotalsAsync(server.Http, deployment);
        Assert.Equal((4050 - logged.Count(p => (long)p["model_version"]! == 2), 0L), traffic.GetValueOrDefault(1));
        Assert.Equal((logged.Count(p => (long)p["model_version"]! == 2), 0L), traffic.GetValueOrDefault(2));
    }

    [Fact]
    public async Task Shadow_AnswersEveryRequestIntoTheLog_AndIsNeverReturned()
    {
        var model = await RegisterVersionsAsync();
        var deployment = model + "-shadow";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        var updated = await _client.Deployments.SetShadowAsync(deployment, $"models:/{model}/2");
        Assert.Equal($"models:/{model}/2", updated.Latest.Shadow);
        await using var host = await ServingRunner.FollowAsync(server, deployment);

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => VersionAsync(host, i % 2 == 0 ? "user-" + i : null)));

        Assert.All(answers, v => Assert.Equal("1", v));
        List<JsonNode> logged = [];
        await UntilAsync(async () => (logged = await PredictionLogReader.ReadAllAsync(server.Http, model)).Count >= 600, "300 primary and 300 shadow rows are logged");
        var primary = logged.Where(p => !(bool)p["shadow"]!).ToList();
        var shadow = logged.Where(p => (bool)p["shadow"]!).ToList();
        Assert.Equal(300, primary.Count);
        Assert.Equal(300, shadow.Count);
        Assert.All(primary, p => Assert.Equal(1, (long)p["model_version"]!));
        Assert.All(shadow, p => Assert.Equal(2, (long)p["model_version"]!));
        // Every shadow answer pairs with the returned one: the caller's key, or the primary's prediction id when it sent none.
        Assert.Equal(primary.Select(p => (string)p["request_key"]!).Order(), shadow.Select(p => (string)p["request_key"]!).Order());
        Assert.Equal(150, primary.Count(p => (string)p["request_key"]! == (string)p["prediction_id"]!));
        Assert.Equal(primary.Select(p => p["outputs"]!.ToJsonString()).Order(), shadow.Select(p => p["outputs"]!.ToJsonString()).Order());

        await _client.Deployments.SetShadowAsync(deployment, null);
        Assert.Null((await _client.Deployments.GetAsync(deployment)).Latest.Shadow);
    }

    [Fact]
    public async Task ShadowThatFailsToScore_NeverAffectsTheResponse()
    {
        var tiny = await ServedTinyModel.OnAsync(server);
        var cache = Directory.CreateTempSubdirectory("keel-serving-cache-").FullName;
        var load = ServingRunner.FromRegistry(server, $"models:/{tiny.ColumnModel}@champion", cache);
        var deployment = "failing-shadow-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await ServingRunner.StartAsync(async ct =>
        {
            var primary = await load(ct);
            return new ServingTarget(primary, null, 0, deployment, 1, new FailingModel(primary));
        }, cache, o => o.PredictionLogUri = server.BaseAddress);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => VersionAsync(host)));

        Assert.All(answers, v => Assert.Equal("1", v));
        await UntilAsync(async () => await host.MetricAsync("keel_serving_shadow_failed_total") >= 100, "the shadow's failures are counted");
        await host.StopAsync();
        var logged = (await PredictionLogReader.ReadAllAsync(server.Http, tiny.ColumnModel)).Where(p => (string?)p["deployment"] == deployment).ToList();
        Assert.Equal(100, logged.Count);
        Assert.All(logged, p => Assert.False((bool)p["shadow"]!));
    }

    /// <summary>A shadow that cannot score what the primary accepts, as one with another signature would.</summary>
    private sealed class FailingModel(ServedModel primary) : ServedModel(primary.Name + "-shadow", 99, primary.Inputs)
    {
        public override string Flavor => "failing";

        public override bool AnswersInRecords => primary.AnswersInRecords;

        public override Column[] Predict(InputBatch batch) => throw new InvalidOperationException("This shadow cannot score.");

        public override void Dispose()
        {
        }
    }

    [Fact]
    public async Task SwapAndRollback_UnderLoad_AnswerEveryRequest_AndEndOnTheRolledBackVersion()
    {
        var model = await RegisterVersionsAsync();
        var deployment = model + "-swap";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        await using var host = await ServingRunner.FollowAsync(server, deployment);
        var failures = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await host.Http.PostAsync("/invocations", OneRow(120));
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }

                seen.AddOrUpdate(response.Headers.GetValues("X-Keel-Model-Version").Single(), 1, (_, n) => n + 1);
            }
        })).ToList();

        await _client.Deployments.SetModelAsync(deployment, $"models:/{model}/2");
        await UntilAsync(async () => await VersionAsync(host) == "2", "version 2 answers");
        await _client.Deployments.RollbackAsync(deployment);
        await UntilAsync(async () => await VersionAsync(host) == "1", "version 1 answers again");
        await Task.Delay(200);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.True(seen.GetValueOrDefault("1") > 0 && seen.GetValueOrDefault("2") > 0, $"Both versions answered under load: {string.Join(", ", seen)}");
        var after = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => VersionAsync(host)));
        Assert.All(after, v => Assert.Equal("1", v));
        // The host reports a revision LIVE right after it swaps to it.
        await UntilAsync(async () => (await _client.Deployments.GetAsync(deployment)).Latest.Status == "LIVE", "revision 3 is reported LIVE");
        var revisions = await _client.Deployments.ListRevisionsAsync(deployment);
        Assert.Equal([3L, 2, 1], revisions.Select(r => r.Revision));
        Assert.All(revisions, r => Assert.Equal("LIVE", r.Status));
    }

    [Fact]
    public async Task AliasMove_RollsOutToAFollowingHost_AsTheRevisionTheServerRecorded()
    {
        var model = await RegisterVersionsAsync();
        var deployment = model + "-alias";
        await _client.SetModelAliasAsync(model, "champion", 1);
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}@champion");
        await using var host = await ServingRunner.FollowAsync(server, deployment);
        Assert.Equal("1", await VersionAsync(host));

        await _client.SetModelAliasAsync(model, "champion", 2);

        await UntilAsync(async () => await VersionAsync(host) == "2", "the alias's new version answers");
        var latest = (await _client.Deployments.GetAsync(deployment)).Latest;
        Assert.Equal(2, latest.Revision);
        Assert.Equal(2, latest.ModelVersion);
        await UntilAsync(async () => (await _client.Deployments.GetAsync(deployment)).Latest.Status == "LIVE", "revision 2 is reported LIVE");
    }

    [Fact]
    public async Task RevisionThatCannotLoad_IsMarkedFailed_AndTheOldModelKeepsAnswering()
    {
        var model = await RegisterVersionsAsync();
        var deployment = model + "-broken";
        await _client.Deployments.CreateAsync(deployment, $"models:/{model}/1");
        await using var host = await ServingRunner.FollowAsync(server, deployment);

        await _client.Deployments.SetModelAsync(deployment, $"models:/{model}/3");
        await UntilAsync(async () => (await _client.Deployments.GetAsync(deployment)).Latest.Status == "FAILED", "revision 2 is marked FAILED");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VersionAsync(host)));

        Assert.All(answers, v => Assert.Equal("1", v));
        var revisions = await _client.Deployments.ListRevisionsAsync(deployment);
        Assert.False(string.IsNullOrEmpty(revisions[0].Message));
        Assert.Equal("LIVE", revisions[1].Status);

        // Rolling forward to a good revision after a failed one still moves the host.
        await _client.Deployments.SetModelAsync(deployment, $"models:/{model}/2");
        await UntilAsync(async () => await VersionAsync(host) == "2", "version 2 answers after the failed revision");
    }
}

public sealed class DeploymentServingTestsOnSqlite(KeelServerFixture server) : DeploymentServingTests(server), IClassFixture<KeelServerFixture>;

public sealed class DeploymentServingTestsOnPostgres(PostgresKeelServerFixture server) : DeploymentServingTests(server), IClassFixture<PostgresKeelServerFixture>;
