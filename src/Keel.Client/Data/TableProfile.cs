namespace Keel.Client;

/// <summary>
/// What a tabular file (CSV or Parquet) in a dataset version holds: its schema, row count and per-column statistics,
/// computed by the client when the version is added and stored with it.
/// </summary>
public sealed record TableProfile
{
    /// <summary>The file's path in the version.</summary>
    public string Path { get; init => field = value ?? ""; } = "";

    /// <summary><c>csv</c> or <c>parquet</c>.</summary>
    public string Format { get; init => field = value ?? ""; } = "";

    /// <summary>The number of data rows (a CSV header is not counted).</summary>
    public long Rows { get; init; }

    /// <summary>The columns, in file order.</summary>
    public IReadOnlyList<ColumnProfile> Columns { get; init => field = value ?? []; } = [];
}

/// <summary>One column's statistics. Numbers have min, max, mean, std and a histogram; other types have top values.</summary>
public sealed record ColumnProfile
{
    /// <summary>The column's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>
    /// <c>integer</c>, <c>double</c>, <c>boolean</c>, <c>datetime</c> or <c>string</c>: for Parquet the declared type,
    /// for CSV the narrowest type every non-empty value parses as (invariant culture).
    /// </summary>
    public string Type { get; init => field = value ?? ""; } = "";

    /// <summary>Missing values: empty CSV fields, Parquet nulls.</summary>
    public long Nulls { get; init; }

    /// <summary>Distinct non-null values; exact when <see cref="DistinctExact"/>, otherwise an estimate (about 3% error).</summary>
    public long Distinct { get; init; }

    /// <summary>Whether <see cref="Distinct"/> is an exact count.</summary>
    public bool DistinctExact { get; init; }

    /// <summary>The smallest number (numeric columns).</summary>
    public double? Min { get; init; }

    /// <summary>The largest number (numeric columns).</summary>
    public double? Max { get; init; }

    /// <summary>The mean (numeric columns).</summary>
    public double? Mean { get; init; }

    /// <summary>The sample standard deviation, n - 1 in the denominator (numeric columns with two or more values).</summary>
    public double? Std { get; init; }

    /// <summary>The earliest value, ISO 8601 (datetime columns).</summary>
    public string? Earliest { get; init; }

    /// <summary>The latest value, ISO 8601 (datetime columns).</summary>
    public string? Latest { get; init; }

    /// <summary>The most frequent values, most frequent first (non-numeric columns).</summary>
    public IReadOnlyList<ValueCount> TopValues { get; init => field = value ?? []; } = [];

    /// <summary>Equal-width bins over [min, max] (numeric columns); kept so later versions and monitoring can compare against them.</summary>
    public Histogram? Histogram { get; init; }
}

/// <summary>A value and how many rows hold it.</summary>
public sealed record ValueCount
{
    /// <summary>The value, as text.</summary>
    public string Value { get; init => field = value ?? ""; } = "";

    /// <summary>How many rows hold it.</summary>
    public long Count { get; init; }
}

/// <summary>A fixed-bin histogram: bin i counts values in [Edges[i], Edges[i + 1]), the last bin includes its upper edge.</summary>
public sealed record Histogram
{
    /// <summary>The bin edges, one more than there are bins.</summary>
    public IReadOnlyList<double> Edges { get; init => field = value ?? []; } = [];

    /// <summary>The count in each bin.</summary>
    public IReadOnlyList<long> Counts { get; init => field = value ?? []; } = [];
}
