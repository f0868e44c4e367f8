using System.Data.Common;
using System.Text.Json;
using Keel.Core.Storage;
using Keel.Core.Webhooks;

namespace Keel.Core.Monitoring;

/// <summary>A rule's verdict on one window: firing (with why) or clear. Rules that could not be judged send nothing.</summary>
internal sealed record RuleOutcome(string Rule, string Subject, bool Firing, string Message, double? Value, double? Threshold);

// Alerts open and resolve in the transaction that judges the window, and their webhook deliveries are inserted in
// that same transaction, so an alert is never open without its delivery queued (and the existing delivery loop sends,
// signs, retries and logs it). Registry deliveries use the change log's event ids; alert deliveries use negative ids
// (−2·alert id for opened, −2·alert id − 1 for resolved) so the two never meet in the (webhook, event) unique key.
internal sealed partial class MonitorStore
{
    public static readonly WebhookEvent AlertOpened = new("alert", "opened");
    public static readonly WebhookEvent AlertResolved = new("alert", "resolved");

    private const string AlertColumns =
        "alert_id, monitor, deployment, rule, subject, status, message, value, threshold, opened_time, opened_window, resolved_time, resolved_window";

    private static readonly JsonSerializerOptions PayloadJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Opens an alert for each firing outcome without an open one, resolves open ones whose rule is now clear.</summary>
    public Task ApplyAlertsAsync(Monitor monitor, long window, IReadOnlyList<RuleOutcome> outcomes, CancellationToken ct) =>
        writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            foreach (var o in outcomes)
            {
                var key = $"{monitor.Name}/{o.Rule}/{o.Subject}";
                if (o.Firing)
                {
                    var id = ctx.Scalar(
                        $"INSERT INTO monitor_alerts(monitor, deployment, rule, subject, open_key, status, message, value, threshold, opened_time, opened_window) " +
                        "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10) ON CONFLICT (open_key) DO NOTHING RETURNING alert_id",
                        monitor.Name, monitor.Deployment, o.Rule, o.Subject, key, AlertStatus.Open, o.Message, o.Value, o.Threshold, now, window);
                    if (id is long alertId)
                    {
                        Enqueue(ctx, AlertOpened, -2 * alertId, now, ReadAlert(ctx, alertId));
                    }
                }
                else
                {
                    // An older window computed again (a late label) must not resolve what a newer window opened.
                    var id = ctx.Scalar(
                        "UPDATE monitor_alerts SET status = @p0, open_key = NULL, resolved_time = @p1, resolved_window = @p2 " +
                        "WHERE open_key = @p3 AND opened_window <= @p2 RETURNING alert_id",
                        AlertStatus.Resolved, now, window, key);
                    if (id is long alertId)
                    {
                        Enqueue(ctx, AlertResolved, (-2 * alertId) - 1, now, ReadAlert(ctx, alertId));
                    }
                }
            }
        }, ct);

    /// <summary>Alerts newest first, optionally of one monitor, status, deployment and/or rule.</summary>
    public async Task<IReadOnlyList<MonitorAlert>> AlertsAsync(
        string? monitor, string? status, long max, string? deployment, string? rule, Auth.ReadScope? scope = null, CancellationToken ct = default)
    {
        if (status is not (null or AlertStatus.Open or AlertStatus.Resolved))
        {
            throw KeelException.InvalidParameter($"status must be OPEN or RESOLVED, but got '{status}'.");
        }

        if (max is <= 0 or > 1000)
        {
            throw KeelException.InvalidParameter($"max_results must be between 1 and 1000, but got {max}.");
        }

        await using var connection = await database.OpenReadAsync(ct);
        // Conditions are left out rather than bound as NULL: PostgreSQL cannot type an untyped NULL parameter.
        var conditions = new List<string>();
        var values = new List<object?>();
        foreach (var (column, value) in new[] { ("monitor", monitor), ("status", status), ("deployment", deployment), ("rule", rule) })
        {
            if (value is not null)
            {
                conditions.Add($"{column} = @p{values.Count}");
                values.Add(value);
            }
        }

        if (scope is not null)
        {
            conditions.Add(scope.Condition(Auth.ResourceKind.Deployment, "deployment"));
        }

        values.Add(max);
        await using var command = connection.Command(
            $"SELECT {AlertColumns} FROM monitor_alerts" + (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions)) +
            $" ORDER BY alert_id DESC LIMIT @p{values.Count - 1}", [.. values]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var alerts = new List<MonitorAlert>();
        while (await reader.ReadAsync(ct))
        {
            alerts.Add(ReadAlert(reader));
        }

        return alerts;
    }

    private static MonitorAlert ReadAlert(WriteContext ctx, long id)
    {
        using var reader = ctx.Query($"SELECT {AlertColumns} FROM monitor_alerts WHERE alert_id = @p0", id);
        reader.Read();
        return ReadAlert(reader);
    }

    private static MonitorAlert ReadAlert(DbDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.IsDBNull(7) ? null : r.GetDouble(7), r.IsDBNull(8) ? null : r.GetDouble(8), r.GetInt64(9), r.GetInt64(10),
        r.GetNullableInt64(11), r.GetNullableInt64(12));

    private static void Enqueue(WriteContext ctx, WebhookEvent e, long eventId, long now, MonitorAlert alert)
    {
        var targets = new List<string>();
        using (var reader = ctx.Query(
            "SELECT w.webhook_id FROM webhooks w JOIN webhook_subscriptions s ON s.webhook_id = w.webhook_id WHERE s.event = @p0 AND w.status = @p1",
            e.ToString(), WebhookStatus.Active))
        {
            while (reader.Read())
            {
                targets.Add(reader.GetString(0));
            }
        }

        var body = WebhookPayload.Body(e, now, JsonSerializer.Serialize(alert, PayloadJson));
        foreach (var webhookId in targets)
        {
            ctx.Execute(
                "INSERT INTO webhook_deliveries(delivery_id, webhook_id, event_id, event, payload, status, attempts, next_attempt_time, creation_time, last_updated_time) " +
                "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, 0, @p6, @p6, @p6) ON CONFLICT(webhook_id, event_id) DO NOTHING",
                Guid.NewGuid().ToString(), webhookId, eventId, e.ToString(), body, DeliveryStatus.Pending, now);
        }
    }
}
