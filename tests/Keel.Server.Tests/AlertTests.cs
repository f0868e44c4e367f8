using static Keel.Server.Tests.Infrastructure.WebhookApi;

namespace Keel.Server.Tests;

/// <summary>Alerts opened and resolved by window verdicts, delivered through the webhook machinery.</summary>
public abstract class AlertTests(KeelServerFixture server)
{
    private readonly MonitoringApi _api = new(server.Http);
    private readonly MlflowApi _mlflow = new(server.Http);

    [Fact]
    public async Task DriftOpensOneAlert_ACleanWindowResolvesIt_AndAFailingReceiverIsRetriedWithSignedDeliveries()
    {
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        // The hook hears every alert on this server, earlier tests' too, and deliveries may arrive in any order:
        // only the first delivery of this monitor's alert.opened fails.
        var failed = 0;
        await using var receiver = await WebhookReceiver.StartRespondingAsync(r =>
            r.Body.Contains(monitor, StringComparison.Ordinal) && (string?)r.Json["action"] == "opened" && Interlocked.Exchange(ref failed, 1) == 0 ? 500 : 200);
        var hook = (string)(await _mlflow.CreateWebhookAsync(receiver.Url, [Event("alert", "opened"), Event("alert", "resolved")], secret: "s3cret"))["webhook_id"]!;
        var reference = await _api.AddReferenceAsync();
        // Quality is judged loosely here so that the only rule in play is drift.
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 100, settings = new { quality_share = 1.0 } });
        await _api.SendPredictionsAsync(deployment, 100, 0.5);
        await _api.SendPredictionsAsync(deployment, 100, 0.5);

        await _api.EvaluateAsync(monitor);

        // Two drifted windows, one open alert.
        var open = Assert.Single(await _api.AlertsAsync(monitor, "OPEN"))!;
        Assert.Equal(("feature_drift", "x", 0L), ((string)open["rule"]!, (string)open["subject"]!, (long)open["opened_window"]!));

        await _api.SendPredictionsAsync(deployment, 100, 0);
        await _api.EvaluateAsync(monitor);

        Assert.Empty(await _api.AlertsAsync(monitor, "OPEN"));
        var resolved = Assert.Single(await _api.AlertsAsync(monitor, "RESOLVED"))!;
        Assert.Equal((2L, (long)open["alert_id"]!), ((long)resolved["resolved_window"]!, (long)resolved["alert_id"]!));

        var received = await receiver.WaitForAsync(monitor, 3);
        Assert.All(received, r => Assert.True(r.SignatureIsValid("s3cret")));
        var delivered = received.Select(r => ((string)r.Json["entity"]!, (string)r.Json["action"]!)).ToList();
        Assert.Equal(2, delivered.Count(e => e == ("alert", "opened")));
        Assert.Contains(("alert", "resolved"), delivered);
        Assert.Equal("x", (string)received[0].Json["data"]!["subject"]!);
        var ours = received.Select(r => r.Header("X-MLflow-Delivery-Id")).ToHashSet();
        async Task<List<JsonNode?>> OurAttemptsAsync() => (await DeliveriesAsync(server.Http, hook)).Where(a => ours.Contains((string)a!["delivery_id"]!)).ToList();
        Assert.True(await EventuallyAsync(async () => (await OurAttemptsAsync()).Count == 3));
        var log = await OurAttemptsAsync();
        var byDelivery = log.GroupBy(a => (string)a!["delivery_id"]!).ToDictionary(
            g => $"{g.First()!["event"]!["entity"]}.{g.First()!["event"]!["action"]}".ToLowerInvariant(),
            g => g.Select(a => ((long)a!["attempt"]!, (int)a["status_code"]!, (bool)a["success"]!)).ToList());
        Assert.Equal([(1L, 500, false), (2L, 200, true)], byDelivery["alert.opened"]);
        Assert.Equal([(1L, 200, true)], byDelivery["alert.resolved"]);
    }

    [Fact]
    public async Task Alerts_FilteredByDeploymentAndRule_AnswerOnlyThatDeploymentsAlertsOfThatRule()
    {
        var reference = await _api.AddReferenceAsync();
        var deployments = new[] { MonitoringApi.Unique("dep"), MonitoringApi.Unique("dep") };
        foreach (var deployment in deployments)
        {
            var monitor = MonitoringApi.Unique("mon");
            await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 100 });
            await _api.SendPredictionsAsync(deployment, 100, 0.5);
            await _api.EvaluateAsync(monitor);
        }

        var all = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/alerts?deployment={deployments[0]}"))!["alerts"]!.AsArray();
        var drift = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/alerts?deployment={deployments[0]}&rule=feature_drift&status=open"))!["alerts"]!.AsArray();

        // The shift opens a drift alert and a data-quality one (shifted values above the reference's maximum).
        Assert.Equal(["data_quality", "feature_drift"], all.Select(a => (string)a!["rule"]!).Order());
        Assert.All(all, a => Assert.Equal(deployments[0], (string)a!["deployment"]!));
        Assert.Equal(("feature_drift", "x", deployments[0]), ((string)drift.Single()!["rule"]!, (string)drift.Single()!["subject"]!, (string)drift.Single()!["deployment"]!));
    }
}

public sealed class AlertTestsOnSqlite(MonitoringServerFixture server) : AlertTests(server), IClassFixture<MonitoringServerFixture>;

public sealed class AlertTestsOnPostgres(PostgresMonitoringServerFixture server) : AlertTests(server), IClassFixture<PostgresMonitoringServerFixture>;
