using System.Text.Json;
using Keel.Core;
using Keel.Core.Webhooks;

namespace Keel.Server.Mlflow;

// Messages of MLflow's webhooks.proto as JSON. Enums arrive as names (any case) or numbers and leave as names, the
// way protobuf's JSON mapping writes them: {"entity": "MODEL_VERSION", "action": "CREATED"}.

internal sealed class WebhookRequest
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Url { get; set; }
    public List<WebhookEventRequest>? Events { get; set; }
    public string? Secret { get; set; }
    public JsonElement? Status { get; set; }
    public long? MaxResults { get; set; }
    public string? PageToken { get; set; }

    /// <summary>TestWebhook's optional event.</summary>
    public WebhookEventRequest? Event { get; set; }
}

internal sealed class WebhookEventRequest
{
    public JsonElement? Entity { get; set; }
    public JsonElement? Action { get; set; }
}

internal sealed record WebhookEventMessage(string Entity, string Action);

internal sealed record WebhookMessage(
    string WebhookId, string Name, string? Description, string Url, IReadOnlyList<WebhookEventMessage> Events, string Status,
    long CreationTimestamp, long LastUpdatedTimestamp);

internal sealed record WebhookTestResultMessage(bool Success, int? ResponseStatus, string? ResponseBody, string? ErrorMessage);

/// <summary>One attempt of Keel's delivery log (a Keel route, not an MLflow message).</summary>
internal sealed record DeliveryAttemptMessage(
    long Id, string DeliveryId, long EventId, WebhookEventMessage Event, long Attempt, long Time, int? StatusCode, string? Error,
    long DurationMs, bool Success, string DeliveryStatus);

internal static class WebhookMessageMapping
{
    // webhooks.proto's enum numbers.
    private static readonly string[] Entities =
        ["", "registered_model", "model_version", "model_version_tag", "model_version_alias", "prompt", "prompt_version", "prompt_tag", "prompt_version_tag", "prompt_alias"];

    private static readonly string[] Actions = ["", "created", "updated", "deleted", "set"];

    private static readonly string[] Statuses = ["", WebhookStatus.Active, WebhookStatus.Disabled];

    // No secret here, by construction: the message has no field for it.
    public static WebhookMessage ToMessage(this Webhook w) =>
        new(w.WebhookId, w.Name, w.Description, w.Url, w.Events.Select(ToMessage).ToList(), w.Status, w.CreationTimestamp, w.LastUpdatedTimestamp);

    public static WebhookEventMessage ToMessage(this WebhookEvent e) => new(e.Entity.ToUpperInvariant(), e.Action.ToUpperInvariant());

    public static DeliveryAttemptMessage ToMessage(this DeliveryAttempt a) =>
        new(a.Id, a.DeliveryId, a.EventId, a.Event.ToMessage(), a.Attempt, a.Time, a.StatusCode, a.Error, a.DurationMs, a.Success, a.DeliveryStatus);

    public static WebhookTestResultMessage ToTestResult(this WebhookResponse r) =>
        new(r.StatusCode is < 400, r.StatusCode, r.Body, r.Error);

    public static IReadOnlyList<WebhookEvent>? ToEvents(this List<WebhookEventRequest>? events) => events?.Select(ToEvent).ToList();

    public static WebhookEvent ToEvent(this WebhookEventRequest e) =>
        WebhookEvents.Validate(EnumName(e.Entity, Entities, "entity"), EnumName(e.Action, Actions, "action"));

    public static string? ToStatus(this JsonElement? status) => status is null ? null : EnumName(status, Statuses, "status");

    private static string? EnumName(JsonElement? value, string[] byNumber, string field) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) && n > 0 && n < byNumber.Length => byNumber[n],
        _ => throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': {value.Value.GetRawText()}."),
    };
}
