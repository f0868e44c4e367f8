namespace Keel.Core.Monitoring;

/// <summary>How the server evaluates monitors (configuration section Monitoring).</summary>
internal sealed class MonitoringOptions
{
    /// <summary>Evaluate closed windows in the background; off, windows are evaluated only on request.</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long after a time window ends it is evaluated: serving hosts write predictions in batches.</summary>
    public TimeSpan ClosingDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A window claimed longer ago than this without a report is taken over (its replica died).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many new windows per monitor per round, so one monitor's backlog does not starve the others.</summary>
    public int MaxWindowsPerRound { get; set; } = 24;
}
