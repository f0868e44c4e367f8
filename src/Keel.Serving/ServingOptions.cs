namespace Keel.Serving;

/// <summary>The inference host's settings (section <c>Serving</c>; <c>keel serve</c> sets them from its flags).</summary>
internal sealed class ServingOptions
{
    /// <summary>The most rows one model call takes after coalescing requests.</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>How long the first request of a batch may wait for others that are arriving.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The tracking server the prediction log is written to; null turns the log off.</summary>
    public Uri? PredictionLogUri { get; set; }

    /// <summary>Requests the log queue holds before it drops (and counts) new ones.</summary>
    public int LogQueueCapacity { get; set; } = 100_000;

    /// <summary>Answered requests the shadow queue holds before it drops (and counts) new copies.</summary>
    public int ShadowQueueCapacity { get; set; } = 10_000;

    /// <summary>How often a host following deployments checks for a new revision.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a model no served revision uses stays loaded: a rollback within it swaps back at once.</summary>
    public TimeSpan RetireAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The tracking server a host following a deployment adds its traffic counts to (<c>keel serve --deployment</c>);
    /// null sends none. Deployments served inside the server count into its store.
    /// </summary>
    public Uri? TrafficUri { get; set; }

    /// <summary>How often traffic counts are added to the store.</summary>
    public TimeSpan TrafficFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Predictions sent to the store per call.</summary>
    public int LogBatchSize { get; set; } = 1000;
}
