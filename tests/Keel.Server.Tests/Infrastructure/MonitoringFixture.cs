namespace Keel.Server.Tests.Infrastructure;

/// <summary>
/// Servers for the monitoring tests: fast webhook delivery, and no background evaluation, so each test decides when
/// a window is evaluated (POST .../evaluate runs the same code the background loop runs).
/// </summary>
public static class MonitoringTestSettings
{
    public static readonly string[] Arguments = [.. WebhookTestSettings.Arguments, "--Monitoring:Enabled", "false", "--Monitoring:ClosingDelay", "00:00:00"];
}

public sealed class MonitoringServerFixture : KeelServerFixture
{
    protected override IEnumerable<string> ExtraArguments => MonitoringTestSettings.Arguments;
}

public sealed class PostgresMonitoringServerFixture : PostgresKeelServerFixture
{
    protected override IEnumerable<string> Settings => MonitoringTestSettings.Arguments;
}
