using System.Globalization;
using static Keel.Server.Tests.Infrastructure.RegistryApi;
using static Keel.Server.Tests.Infrastructure.WebhookApi;

namespace Keel.Server.Tests;

/// <summary>Registry changes reaching a real HTTP receiver: events, payloads, signatures, retries and the delivery log.</summary>
public abstract class WebhookDeliveryTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task RegistryChanges_ReachSubscribedWebhooks_SignedAsMlflowSignsThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var disabledReceiver = await WebhookReceiver.StartAsync();
        await using var otherReceiver = await WebhookReceiver.StartAsync();
        object[] events = [Event("registered_model", "created"), Event("model_version", "created"), Event("model_version_alias", "created"), Event("model_version_tag", "set")];
        var hook = await _api.CreateWebhookAsync(receiver.Url, events, secret: "top-secret");
        await _api.CreateWebhookAsync(disabledReceiver.Url, events, status: "DISABLED");
        await _api.CreateWebhookAsync(otherReceiver.Url, [Event("model_version_tag", "deleted")]);
        var name = UniqueName();

        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "k", value = "v" })).Ok();
        // A change with no MLflow webhook event: nobody here subscribed to Keel's name for it.
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "team", value = "ml" })).Ok();

        await receiver.WaitForAsync(name, 4);
        await Task.Delay(400);
        var received = receiver.About(name);
        Assert.Equal(4, received.Count);
        Assert.All(received, r => Assert.True(r.SignatureIsValid("top-secret"), "signature"));
        Assert.Equal(4, received.Select(r => r.Header("X-MLflow-Delivery-Id")).Distinct().Count());
        Assert.All(received, r => Assert.InRange(
            long.Parse(r.Header("X-MLflow-Timestamp"), CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        var byEvent = received.ToDictionary(r => $"{r.Json["entity"]}.{r.Json["action"]}", r => r.Json);
        Assert.Equal(["model_version.created", "model_version_alias.created", "model_version_tag.set", "registered_model.created"], byEvent.Keys.Order());
        Assert.Equal(name, (string)byEvent["registered_model.created"]["data"]!["name"]!);
        var created = byEvent["model_version.created"]["data"]!;
        Assert.Equal(("1", "s3://bucket/model"), ((string)created["version"]!, (string)created["source"]!));
        var alias = byEvent["model_version_alias.created"]["data"]!;
        Assert.Equal((name, "champion", "1"), ((string)alias["name"]!, (string)alias["alias"]!, (string)alias["version"]!));
        var tag = byEvent["model_version_tag.set"]["data"]!;
        Assert.Equal(("1", "k", "v"), ((string)tag["version"]!, (string)tag["key"]!, (string)tag["value"]!));
        Assert.All(byEvent.Values, json => Assert.EndsWith("+00:00", (string)json["timestamp"]!, StringComparison.Ordinal));

        Assert.Empty(disabledReceiver.About(name));
        Assert.Empty(otherReceiver.About(name));

        var log = await DeliveriesAsync(server.Http, (string)hook["webhook_id"]!);
        Assert.Equal(4, log.Count);
        Assert.All(log, a =>
        {
            Assert.Equal(1, (long)a!["attempt"]!);
            Assert.Equal(200, (int)a["status_code"]!);
            Assert.True((bool)a["success"]!);
            Assert.Equal("SUCCEEDED", (string)a["delivery_status"]!);
        });
        Assert.Equal(received.Select(r => r.Header("X-MLflow-Delivery-Id")).Order(), log.Select(a => (string)a!["delivery_id"]!).Order());
    }

    [Fact]
    public async Task KeelOnlyEvents_GoOnlyToWebhooksThatNameThem()
    {
        await using var mlflowStyle = await WebhookReceiver.StartAsync();
        await using var keelStyle = await WebhookReceiver.StartAsync();
        await _api.CreateWebhookAsync(mlflowStyle.Url, [Event("registered_model", "created")]);
        await _api.CreateWebhookAsync(keelStyle.Url, [Event("registered_model", "deleted")]);
        var name = UniqueName();

        await _api.CreateModelAsync(name);
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete", new { name })).Ok();

        var deleted = Assert.Single(await keelStyle.WaitForAsync(name, 1));
        Assert.Equal(("registered_model", "deleted"), ((string)deleted.Json["entity"]!, (string)deleted.Json["action"]!));
        Assert.False(deleted.Headers.ContainsKey("X-MLflow-Signature"));
        await mlflowStyle.WaitForAsync(name, 1);
        await Task.Delay(300);
        Assert.Equal("created", (string)Assert.Single(mlflowStyle.About(name)).Json["action"]!);
        Assert.Single(keelStyle.About(name));
    }

    [Fact]
    public async Task AReceiverThatFailsTwice_GetsThreeAttempts_OfOneSignedDelivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 2 ? 500 : 200);
        var id = (string)(await _api.CreateWebhookAsync(receiver.Url, [Event("registered_model", "created")], secret: "k"))["webhook_id"]!;
        var name = UniqueName();

        await _api.CreateModelAsync(name);

        var received = await receiver.WaitForAsync(name, 3);
        Assert.True(await EventuallyAsync(async () => (await DeliveriesAsync(server.Http, id)).Count == 3));
        await Task.Delay(300);
        Assert.Equal(3, receiver.About(name).Count);
        // One delivery: the same id and bytes every time, each attempt signed afresh.
        Assert.Single(received.Select(r => r.Header("X-MLflow-Delivery-Id")).Distinct());
        Assert.Single(received.Select(r => r.Body).Distinct());
        Assert.All(received, r => Assert.True(r.SignatureIsValid("k")));

        var log = await DeliveriesAsync(server.Http, id);
        Assert.Equal([1L, 2L, 3L], log.Select(a => (long)a!["attempt"]!));
        Assert.Equal([500, 500, 200], log.Select(a => (int)a!["status_code"]!));
        Assert.Equal([false, false, true], log.Select(a => (bool)a!["success"]!));
        Assert.All(log, a => Assert.Equal("SUCCEEDED", (string)a!["delivery_status"]!));
        Assert.Equal("HTTP 500", (string)log[0]!["error"]!);
        var times = log.Select(a => (long)a!["time"]!).ToList();
        // Backoff doubles: 100 ms, then 200 ms (Webhooks:InitialBackoff in the test settings).
        Assert.True(times[1] - times[0] >= 90, $"second attempt after {times[1] - times[0]} ms");
        Assert.True(times[2] - times[1] >= 190, $"third attempt after {times[2] - times[1]} ms");
    }

    [Fact]
    public async Task AReceiverThatAlwaysFails_GetsTheConfiguredAttempts_ThenNoMore()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 500);
        var unreachable = WebhookEndpointTests.LoopbackUrl();
        var id = (string)(await _api.CreateWebhookAsync(receiver.Url, [Event("model_version", "created")]))["webhook_id"]!;
        var deadId = (string)(await _api.CreateWebhookAsync(unreachable, [Event("model_version", "created")]))["webhook_id"]!;
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        await _api.CreateVersionAsync(name);

        Assert.True(await EventuallyAsync(async () => (await DeliveriesAsync(server.Http, id)).Any(a => (string)a!["delivery_status"]! == "FAILED")));
        Assert.True(await EventuallyAsync(async () => (await DeliveriesAsync(server.Http, deadId)).Any(a => (string)a!["delivery_status"]! == "FAILED")));
        await Task.Delay(800);
        Assert.Equal(3, receiver.About(name).Count);
        var log = await DeliveriesAsync(server.Http, id);
        Assert.Equal([1L, 2L, 3L], log.Select(a => (long)a!["attempt"]!));
        Assert.All(log, a => Assert.False((bool)a!["success"]!));
        var dead = await DeliveriesAsync(server.Http, deadId);
        Assert.Equal(3, dead.Count);
        Assert.All(dead, a =>
        {
            Assert.Null(a!["status_code"]);
            Assert.False(string.IsNullOrEmpty((string?)a["error"]));
        });
    }

    [Fact]
    public async Task AWebhookCreatedAfterAChange_DoesNotReceiveIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        await _api.CreateWebhookAsync(receiver.Url, [Event("registered_model", "created"), Event("model_version", "created")]);
        await _api.CreateVersionAsync(name);

        var received = Assert.Single(await receiver.WaitForAsync(name, 1));
        Assert.Equal("model_version", (string)received.Json["entity"]!);
        await Task.Delay(300);
        Assert.Single(receiver.About(name));
    }
}

public sealed class WebhookDeliveryTestsOnSqlite(WebhookServerFixture server) : WebhookDeliveryTests(server), IClassFixture<WebhookServerFixture>;

public sealed class WebhookDeliveryTestsOnPostgres(PostgresWebhookServerFixture server) : WebhookDeliveryTests(server), IClassFixture<PostgresWebhookServerFixture>;
