namespace Keel.Server.Tests;

/// <summary>The server's background loop evaluates closed windows on its own, without anyone asking.</summary>
public abstract class MonitoringServiceTests(KeelServerFixture server)
{
    private readonly MonitoringApi _api = new(server.Http);

    [Fact]
    public async Task AClosedWindow_IsReportedByTheBackgroundLoop()
    {
        var reference = await _api.AddReferenceAsync();
        var deployment = MonitoringApi.Unique("dep");
        var monitor = MonitoringApi.Unique("mon");
        await _api.CreateMonitorAsync(new { name = monitor, deployment, reference, every = 50 });

        await _api.SendPredictionsAsync(deployment, 50, shift: 0.5);

        Assert.True(await WebhookApi.EventuallyAsync(async () =>
            (await server.Http.GetAsync($"/api/keel/v1/monitors/{monitor}/reports/0")).StatusCode == HttpStatusCode.OK));
        Assert.True(MonitoringApi.Verdicts(await _api.ReportAsync(monitor, 0))["x"]);
    }
}

/// <summary>A server whose monitoring loop polls every 100 ms.</summary>
public sealed class BackgroundMonitoringServerFixture : KeelServerFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Monitoring:PollInterval", "00:00:00.100"];
}

public sealed class PostgresBackgroundMonitoringServerFixture : PostgresKeelServerFixture
{
    protected override IEnumerable<string> Settings => ["--Monitoring:PollInterval", "00:00:00.100"];
}

public sealed class MonitoringServiceTestsOnSqlite(BackgroundMonitoringServerFixture server) : MonitoringServiceTests(server), IClassFixture<BackgroundMonitoringServerFixture>;

public sealed class MonitoringServiceTestsOnPostgres(PostgresBackgroundMonitoringServerFixture server)
    : MonitoringServiceTests(server), IClassFixture<PostgresBackgroundMonitoringServerFixture>;
