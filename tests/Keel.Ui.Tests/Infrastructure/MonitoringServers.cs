using Keel.Testing;

namespace Keel.Ui.Tests.Infrastructure;

/// <summary>
/// Servers without background evaluation, as for the server's monitoring tests: a background round racing the test's
/// own evaluate could hold a window's claim (or compute it before its labels arrive) while the page is read.
/// </summary>
public sealed class MonitoringServerFixture : KeelServerFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Monitoring:Enabled", "false"];
}

public sealed class PostgresMonitoringServerFixture : PostgresKeelServerFixture
{
    protected override IEnumerable<string> Settings => ["--Monitoring:Enabled", "false"];
}
