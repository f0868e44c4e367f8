using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keel.Core.Webhooks;

/// <summary>One round of delivery (fan out new events, claim due deliveries, send, record), and the test endpoint's send.</summary>
internal sealed class WebhookDelivery(WebhookStore store, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDelivery> logger)
{
    private const int FanOutBatch = 500;

    private static readonly JsonSerializerOptions PayloadJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Returns how many deliveries it attempted, so an idle loop can sleep and a busy one go on.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.Value;
        var read = await store.FanOutAsync(FanOutBatch, ct);
        var claimed = await store.ClaimAsync(o.BatchSize, o.MaxAttempts, o.Lease, ct);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, o, ct)));
        // A full fan-out batch means more of the log is waiting.
        return claimed.Count + (read == FanOutBatch ? 1 : 0);
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, WebhookOptions o, CancellationToken ct)
    {
        var response = await sender.SendAsync(delivery.Url, delivery.Secret, delivery.DeliveryId, delivery.Payload, readBody: false, ct);
        if (!response.Succeeded)
        {
            logger.LogWarning("Webhook {WebhookId} delivery {DeliveryId} attempt {Attempt} of {MaxAttempts} failed: {Error}",
                delivery.WebhookId, delivery.DeliveryId, delivery.Attempt, o.MaxAttempts, response.Error ?? $"HTTP {response.StatusCode}");
        }

        await store.RecordAttemptAsync(delivery, response, o.MaxAttempts, o.Backoff(delivery.Attempt), ct);
    }

    /// <summary>
    /// Sends an example payload for <paramref name="event"/> (the webhook's first event when null), signed as a real
    /// delivery is, and reports the answer as MLflow does: success means a status below 400. Not logged as a delivery.
    /// </summary>
    public async Task<WebhookResponse> TestAsync(string? webhookId, WebhookEvent? @event, CancellationToken ct)
    {
        var target = await store.GetTargetAsync(webhookId, ct);
        var e = @event ?? target.Events[0];
        if (WebhookEvents.ExamplePayload(e) is not { } example)
        {
            return new WebhookResponse(null, null, $"Failed to test webhook: Keel has no example payload for event '{e}'.", 0);
        }

        var body = WebhookPayload.Body(e, clock.GetUtcNow().ToUnixTimeMilliseconds(), JsonSerializer.Serialize(example, PayloadJson));
        return await sender.SendAsync(target.Url, target.Secret, Guid.NewGuid().ToString(), body, readBody: true, ct);
    }
}
