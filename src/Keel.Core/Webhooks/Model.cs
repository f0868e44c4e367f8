namespace Keel.Core.Webhooks;

/// <summary>MLflow's webhook statuses (webhooks.proto WebhookStatus).</summary>
internal static class WebhookStatus
{
    public const string Active = "ACTIVE";
    public const string Disabled = "DISABLED";

    public static string Canonical(string? status) => status?.ToUpperInvariant() switch
    {
        Active => Active,
        Disabled => Disabled,
        _ => throw KeelException.InvalidParameter($"Invalid webhook status '{status}'. Valid statuses are: ['ACTIVE', 'DISABLED']"),
    };
}

/// <summary>A webhook as the API shows it. The secret is deliberately not part of it: it is stored to sign, never shown.</summary>
internal sealed record Webhook(
    string WebhookId,
    string Name,
    string? Description,
    string Url,
    IReadOnlyList<WebhookEvent> Events,
    string Status,
    long CreationTimestamp,
    long LastUpdatedTimestamp);

/// <summary>Where a delivery goes and the key it is signed with.</summary>
internal sealed record WebhookTarget(string WebhookId, string Url, string? Secret, IReadOnlyList<WebhookEvent> Events);

/// <summary>The fields of a create or update; null means "not given" (an update keeps the current value).</summary>
internal sealed record WebhookChange(
    string? Name, string? Description, string? Url, IReadOnlyList<WebhookEvent>? Events, string? Secret, string? Status);

internal sealed record WebhookPage(IReadOnlyList<Webhook> Items, string? NextPageToken);

/// <summary>What one HTTP attempt got: a status code (any answer), or an error (no answer), and how long it took.</summary>
internal sealed record WebhookResponse(int? StatusCode, string? Body, string? Error, long DurationMs)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>A delivery claimed by this replica for one attempt.</summary>
internal sealed record ClaimedDelivery(string DeliveryId, string WebhookId, long EventId, string Payload, long Attempt, string Url, string? Secret);

/// <summary>One row of a webhook's delivery log: an attempt, with the state of the delivery it belongs to.</summary>
internal sealed record DeliveryAttempt(
    long Id, string DeliveryId, long EventId, WebhookEvent Event, long Attempt, long Time, int? StatusCode, string? Error, long DurationMs,
    bool Success, string DeliveryStatus);

/// <summary>Delivery states: PENDING until an attempt succeeds (SUCCEEDED) or the attempts run out (FAILED).</summary>
internal static class DeliveryStatus
{
    public const string Pending = "PENDING";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
}
