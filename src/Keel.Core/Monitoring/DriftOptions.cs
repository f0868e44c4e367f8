namespace Keel.Core.Monitoring;

/// <summary>
/// How a drift report chooses and judges its tests. The defaults follow the issue (and Evidently's published
/// presets): KS / chi-square at 0.05 for a reference of at most 1,000 rows, normalised Wasserstein / Jensen–Shannon
/// at 0.1 above that, dataset drift when half the columns drift.
/// </summary>
internal sealed record DriftOptions
{
    /// <summary>A reference with at most this many rows gets the p-value tests; a larger one gets the distances.</summary>
    public int SmallReferenceRows { get; init; } = 1_000;

    /// <summary>A numeric column with at most this many distinct reference values is tested as categorical.</summary>
    public int MaxDistinctForCategorical { get; init; } = 5;

    /// <summary>KS drifts when p ≤ this.</summary>
    public double KsPValue { get; init; } = 0.05;

    /// <summary>Chi-square drifts when p &lt; this.</summary>
    public double ChiSquarePValue { get; init; } = 0.05;

    /// <summary>Wasserstein distance / reference standard deviation drifts when ≥ this.</summary>
    public double WassersteinDistance { get; init; } = 0.1;

    /// <summary>Jensen–Shannon distance (natural log) drifts when ≥ this.</summary>
    public double JensenShannonDistance { get; init; } = 0.1;

    /// <summary>The dataset drifts when drifted columns / tested columns ≥ this.</summary>
    public double DatasetDriftShare { get; init; } = 0.5;

    /// <summary>Per-column overrides by column name.</summary>
    public IReadOnlyDictionary<string, ColumnDriftOptions> Columns { get; init; } = new Dictionary<string, ColumnDriftOptions>();

    public ColumnDriftOptions For(string column) => Columns.TryGetValue(column, out var options) ? options : ColumnDriftOptions.None;
}

/// <summary>What one column overrides: its kind and the threshold of whichever test it gets.</summary>
internal sealed record ColumnDriftOptions(ColumnKind? Kind = null, double? Threshold = null)
{
    public static readonly ColumnDriftOptions None = new();
}

internal enum ColumnKind
{
    Numeric,
    Categorical,
}
