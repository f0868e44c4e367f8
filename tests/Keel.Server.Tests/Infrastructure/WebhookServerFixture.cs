namespace Keel.Server.Tests.Infrastructure;

/// <summary>Delivery settings that keep tests fast: poll every 50 ms, retry after 100 ms, 200 ms, ..., three attempts.</summary>
public static class WebhookTestSettings
{
    public static readonly string[] Arguments =
    [
        "--Webhooks:PollInterval", "00:00:00.050",
        "--Webhooks:InitialBackoff", "00:00:00.100",
        "--Webhooks:MaxBackoff", "00:00:01",
        "--Webhooks:MaxAttempts", "3",
        "--Webhooks:RequestTimeout", "00:00:05",
        "--Logging:LogLevel:Keel.Core.Webhooks", "Error",
    ];
}

/// <summary>A Keel server on SQLite with fast webhook delivery.</summary>
public sealed class WebhookServerFixture : KeelServerFixture
{
    protected override IEnumerable<string> ExtraArguments => WebhookTestSettings.Arguments;
}

/// <summary>A Keel server on a PostgreSQL database of its own with fast webhook delivery.</summary>
public sealed class PostgresWebhookServerFixture : PostgresKeelServerFixture
{
    protected override IEnumerable<string> Settings => WebhookTestSettings.Arguments;
}
