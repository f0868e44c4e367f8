namespace Keel.Core.Webhooks;

/// <summary>Webhook delivery (configuration section Webhooks).</summary>
internal sealed class WebhookOptions
{
    /// <summary>Whether this replica delivers (Webhooks:Enabled). The API works either way; some replica must deliver.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often an idle replica looks for new events and due retries (Webhooks:PollInterval).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per delivery, the first included (Webhooks:MaxAttempts).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait after the first failed attempt; it doubles after each further one (Webhooks:InitialBackoff).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts (Webhooks:MaxBackoff).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one POST may take (Webhooks:RequestTimeout).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries one replica claims at a time (Webhooks:BatchSize).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// How long a claimed attempt belongs to the replica that claimed it. Longer than any request may take, so
    /// another replica takes the delivery over only when the first one died with it in hand.
    /// </summary>
    public TimeSpan Lease => RequestTimeout + TimeSpan.FromSeconds(30);

    public TimeSpan Backoff(long failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var wait = TimeSpan.FromMilliseconds(InitialBackoff.TotalMilliseconds * factor);
        return wait < MaxBackoff ? wait : MaxBackoff;
    }
}
