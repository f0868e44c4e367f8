using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Webhooks;

// Rows of the webhook schema. The store reads and writes them with raw, portable SQL; these classes exist so that
// one EF model owns the schema and its migrations.

internal sealed class WebhookRow
{
    // A 32-hex id, as MLflow's are.
    public required string WebhookId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string Url { get; set; }

    // Kept in clear text: delivery needs it to sign. Never returned by the API.
    public string? Secret { get; set; }
    public required string Status { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }

    // The last registry event that existed when the webhook was created: it receives only later ones.
    public long FirstEventId { get; set; }
}

internal sealed class WebhookSubscriptionRow
{
    public required string WebhookId { get; set; }

    // "entity.action", as MLflow writes an event in its own strings (model_version.created).
    public required string Event { get; set; }
}

/// <summary>One (webhook, registry event) pair to deliver; its unique key is what makes a delivery happen once.</summary>
internal sealed class WebhookDeliveryRow
{
    public required string DeliveryId { get; set; }
    public required string WebhookId { get; set; }
    public long EventId { get; set; }
    public required string Event { get; set; }

    // The exact body to POST, built once so every attempt sends (and signs) the same bytes.
    public required string Payload { get; set; }
    public required string Status { get; set; }
    public long Attempts { get; set; }

    // When the next attempt is due; while an attempt is in flight, when its claim lapses.
    public long NextAttemptTime { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
}

internal sealed class WebhookDeliveryAttemptRow
{
    public long AttemptId { get; set; }
    public required string DeliveryId { get; set; }
    public required string WebhookId { get; set; }
    public long EventId { get; set; }
    public long Attempt { get; set; }
    public long Time { get; set; }
    public long? StatusCode { get; set; }
    public string? Error { get; set; }
    public long DurationMs { get; set; }
    public bool Success { get; set; }
}

/// <summary>How far the registry's change log has been fanned out to deliveries (one row, shared by every replica).</summary>
internal sealed class WebhookCursorRow
{
    public required string Name { get; set; }
    public long LastEventId { get; set; }
}

/// <summary>
/// A single row every registry write locks just before it appends its event, held to commit: event ids are then
/// handed out in commit order across replicas, so a cursor over event ids never passes one that commits later.
/// </summary>
internal sealed class RegistryEventLockRow
{
    public long Id { get; set; }
}

internal static class WebhookModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<WebhookRow>(e =>
        {
            e.ToTable("webhooks").HasKey(x => x.WebhookId);
            e.HasIndex(x => x.CreationTime);
        });
        model.Entity<WebhookSubscriptionRow>(e =>
        {
            e.ToTable("webhook_subscriptions").HasKey(x => new { x.WebhookId, x.Event });
            e.HasIndex(x => x.Event);
        });
        model.Entity<WebhookDeliveryRow>(e =>
        {
            e.ToTable("webhook_deliveries").HasKey(x => x.DeliveryId);
            e.HasIndex(x => new { x.WebhookId, x.EventId }).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextAttemptTime });
        });
        model.Entity<WebhookDeliveryAttemptRow>(e =>
        {
            e.ToTable("webhook_delivery_attempts").HasKey(x => x.AttemptId);
            e.HasIndex(x => new { x.DeliveryId, x.Attempt }).IsUnique();
            e.HasIndex(x => new { x.WebhookId, x.AttemptId });
        });
        model.Entity<WebhookCursorRow>(e => e.ToTable("webhook_cursor").HasKey(x => x.Name));
        model.Entity<RegistryEventLockRow>(e =>
        {
            e.ToTable("registry_event_lock").HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
    }
}
