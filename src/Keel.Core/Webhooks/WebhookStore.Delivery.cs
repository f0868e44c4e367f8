using Keel.Core.Storage;

namespace Keel.Core.Webhooks;

// How a registry change becomes exactly one delivery per subscribed webhook, however many replicas run:
// 1. Fan-out: whoever holds the cursor row's lock reads the change log past the cursor, inserts one
//    webhook_deliveries row per (webhook, event) (unique, ON CONFLICT DO NOTHING) and moves the cursor, all in
//    one transaction. Event ids are handed out in commit order (registry_event_lock), so the cursor never passes
//    an event that commits later.
// 2. Claim: an UPDATE moves due deliveries' next_attempt_time one lease ahead and counts the attempt; a replica
//    that races for the same row re-checks the condition after the first commits, and gets nothing.
// 3. Record: the attempt is logged and the delivery is closed or rescheduled with backoff.
// Nothing is held in process memory, so a restart resumes where the database says and a replica that dies
// mid-attempt loses only its lease.
internal sealed partial class WebhookStore
{
    private const string CursorName = "registry_events";

    /// <summary>Turns up to <paramref name="maxEvents"/> new change-log rows into deliveries; returns how many rows it read.</summary>
    public Task<int> FanOutAsync(int maxEvents, CancellationToken ct = default) => writes.ExecuteAsync(ctx => FanOut(ctx, maxEvents), ct);

    private int FanOut(WriteContext ctx, int maxEvents)
    {
        var cursor = LockCursor(ctx);
        if (cursor is null)
        {
            ctx.Execute("INSERT INTO webhook_cursor(name, last_event_id) VALUES (@p0, 0) ON CONFLICT(name) DO NOTHING", CursorName);
            cursor = LockCursor(ctx) ?? 0;
        }

        if (ctx.Scalar("SELECT webhook_id FROM webhooks WHERE status = @p0 LIMIT 1", WebhookStatus.Active) is null)
        {
            // Nobody listens: skip to the end of the log rather than walk it. A webhook created or enabled later
            // starts after it anyway.
            var last = (long)ctx.Scalar("SELECT COALESCE(MAX(event_id), 0) FROM registry_events")!;
            if (last > cursor)
            {
                MoveCursor(ctx, last);
            }

            return 0;
        }

        var events = new List<(long Id, long Time, string Type, string Payload)>();
        using (var reader = ctx.Query(
            "SELECT event_id, time, event_type, payload FROM registry_events WHERE event_id > @p0 ORDER BY event_id LIMIT @p1", cursor, (long)maxEvents))
        {
            while (reader.Read())
            {
                events.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        if (events.Count == 0)
        {
            return 0;
        }

        var now = Now();
        foreach (var e in events)
        {
            if (WebhookEvents.ForRegistryEvent(e.Type) is not { } webhookEvent)
            {
                continue;
            }

            var targets = new List<string>();
            using (var reader = ctx.Query(
                "SELECT w.webhook_id FROM webhooks w JOIN webhook_subscriptions s ON s.webhook_id = w.webhook_id " +
                "WHERE s.event = @p0 AND w.status = @p1 AND w.first_event_id < @p2", webhookEvent.ToString(), WebhookStatus.Active, e.Id))
            {
                while (reader.Read())
                {
                    targets.Add(reader.GetString(0));
                }
            }

            if (targets.Count == 0)
            {
                continue;
            }

            var body = WebhookPayload.Body(webhookEvent, e.Time, e.Payload);
            foreach (var webhookId in targets)
            {
                ctx.Execute(
                    "INSERT INTO webhook_deliveries(delivery_id, webhook_id, event_id, event, payload, status, attempts, next_attempt_time, creation_time, last_updated_time) " +
                    "VALUES (@p0, @p1, @p2, @p3, @p4, @p5, 0, @p6, @p6, @p6) ON CONFLICT(webhook_id, event_id) DO NOTHING",
                    Guid.NewGuid().ToString(), webhookId, e.Id, webhookEvent.ToString(), body, DeliveryStatus.Pending, now);
            }
        }

        MoveCursor(ctx, events[^1].Id);
        return events.Count;
    }

    /// <summary>The cursor, with its row locked to the end of the transaction: one replica fans out at a time.</summary>
    private static long? LockCursor(WriteContext ctx) =>
        ctx.Scalar("UPDATE webhook_cursor SET last_event_id = last_event_id WHERE name = @p0 RETURNING last_event_id", CursorName) as long?;

    private static void MoveCursor(WriteContext ctx, long eventId) =>
        ctx.Execute("UPDATE webhook_cursor SET last_event_id = @p0 WHERE name = @p1", eventId, CursorName);

    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries of active webhooks for one attempt each, for
    /// <paramref name="lease"/>. Deliveries whose attempts ran out while their replica was gone are closed as FAILED.
    /// </summary>
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int max, int maxAttempts, TimeSpan lease, CancellationToken ct = default) =>
        writes.ExecuteAsync<IReadOnlyList<ClaimedDelivery>>(ctx =>
        {
            var now = Now();
            ctx.Execute(
                "UPDATE webhook_deliveries SET status = @p0, last_updated_time = @p1 WHERE status = @p2 AND attempts >= @p3 AND next_attempt_time <= @p1",
                DeliveryStatus.Failed, now, DeliveryStatus.Pending, (long)maxAttempts);
            // The condition is repeated outside the subquery: on PostgreSQL a replica that waited for another's claim
            // re-checks it against the committed row and skips what the other took.
            var claimed = new List<(string DeliveryId, string WebhookId, long EventId, string Payload, long Attempt)>();
            using (var reader = ctx.Query(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_time = @p0, last_updated_time = @p1 " +
                "WHERE status = @p2 AND next_attempt_time <= @p1 AND attempts < @p3 AND delivery_id IN (" +
                "SELECT d.delivery_id FROM webhook_deliveries d JOIN webhooks w ON w.webhook_id = d.webhook_id " +
                "WHERE d.status = @p2 AND d.next_attempt_time <= @p1 AND d.attempts < @p3 AND w.status = @p4 " +
                "ORDER BY d.next_attempt_time, d.event_id LIMIT @p5) " +
                "RETURNING delivery_id, webhook_id, event_id, payload, attempts",
                now + (long)lease.TotalMilliseconds, now, DeliveryStatus.Pending, (long)maxAttempts, WebhookStatus.Active, (long)max))
            {
                while (reader.Read())
                {
                    claimed.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4)));
                }
            }

            var targets = new Dictionary<string, (string Url, string? Secret)>(StringComparer.Ordinal);
            foreach (var webhookId in claimed.Select(c => c.WebhookId).Distinct())
            {
                using var reader = ctx.Query("SELECT url, secret FROM webhooks WHERE webhook_id = @p0", webhookId);
                if (reader.Read())
                {
                    targets[webhookId] = (reader.GetString(0), reader.GetNullableString(1));
                }
            }

            return claimed.Where(c => targets.ContainsKey(c.WebhookId))
                .OrderBy(c => c.EventId)
                .Select(c => new ClaimedDelivery(c.DeliveryId, c.WebhookId, c.EventId, c.Payload, c.Attempt, targets[c.WebhookId].Url, targets[c.WebhookId].Secret))
                .ToList();
        }, ct);

    /// <summary>Logs an attempt and closes the delivery (success, or the last attempt) or schedules the next one.</summary>
    public Task RecordAttemptAsync(ClaimedDelivery delivery, WebhookResponse response, int maxAttempts, TimeSpan backoff, CancellationToken ct = default) =>
        writes.ExecuteAsync(ctx =>
        {
            var now = Now();
            // Nothing is logged for a delivery whose webhook was deleted while the attempt was in flight.
            ctx.Execute(
                "INSERT INTO webhook_delivery_attempts(delivery_id, webhook_id, event_id, attempt, time, status_code, error, duration_ms, success) " +
                "SELECT @p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8 WHERE EXISTS (SELECT 1 FROM webhook_deliveries WHERE delivery_id = @p0) " +
                "ON CONFLICT(delivery_id, attempt) DO NOTHING",
                delivery.DeliveryId, delivery.WebhookId, delivery.EventId, delivery.Attempt, now, (long?)response.StatusCode,
                response.Error ?? (response.Succeeded ? null : $"HTTP {response.StatusCode}"), response.DurationMs, response.Succeeded);
            var (status, next) = response.Succeeded ? (DeliveryStatus.Succeeded, now)
                : delivery.Attempt >= maxAttempts ? (DeliveryStatus.Failed, now)
                : (DeliveryStatus.Pending, now + (long)backoff.TotalMilliseconds);
            // Only while the claim is still ours: if it lapsed and another replica took the next attempt, that one decides.
            ctx.Execute(
                "UPDATE webhook_deliveries SET status = @p0, next_attempt_time = @p1, last_updated_time = @p2 " +
                "WHERE delivery_id = @p3 AND attempts = @p4 AND status = @p5",
                status, next, now, delivery.DeliveryId, delivery.Attempt, DeliveryStatus.Pending);
        }, ct);

    /// <summary>A webhook's delivery log, one row per attempt, oldest first; page with the last id seen.</summary>
    public async Task<IReadOnlyList<DeliveryAttempt>> ReadDeliveriesAsync(string? webhookId, long? afterId, long? maxResults, CancellationToken ct = default)
    {
        var id = RequireId(webhookId);
        var max = maxResults ?? 1000;
        if (max <= 0 || max > 10_000)
        {
            throw KeelException.InvalidParameter($"Invalid value for request parameter max_results. It must be at most 10000 and positive, but got value {max}");
        }

        await using var connection = await database.OpenReadAsync(ct);
        await using (var exists = connection.Command("SELECT webhook_id FROM webhooks WHERE webhook_id = @p0", id))
        {
            if (await exists.ExecuteScalarAsync(ct) is null or DBNull)
            {
                throw NotFound(id);
            }
        }

        await using var command = connection.Command(
            "SELECT a.attempt_id, a.delivery_id, a.event_id, d.event, a.attempt, a.time, a.status_code, a.error, a.duration_ms, a.success, d.status " +
            "FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.delivery_id = a.delivery_id " +
            "WHERE a.webhook_id = @p0 AND a.attempt_id > @p1 ORDER BY a.attempt_id LIMIT @p2", id, afterId ?? 0, max);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var attempts = new List<DeliveryAttempt>();
        while (await reader.ReadAsync(ct))
        {
            attempts.Add(new DeliveryAttempt(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), WebhookEvent.Parse(reader.GetString(3)),
                reader.GetInt64(4), reader.GetInt64(5), (int?)reader.GetNullableInt64(6), reader.GetNullableString(7), reader.GetInt64(8),
                reader.GetBoolean(9), reader.GetString(10)));
        }

        return attempts;
    }
}
