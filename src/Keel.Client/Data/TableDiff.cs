namespace Keel.Client;

/// <summary>How a table present in both versions changed: schema, row count and per-column distribution shift.</summary>
public sealed record TableDiff
{
    /// <summary>The file's path.</summary>
    public string Path { get; init => field = value ?? ""; } = "";

    /// <summary>Rows in the older version.</summary>
    public long OldRows { get; init; }

    /// <summary>Rows in the newer version.</summary>
    public long NewRows { get; init; }

    /// <summary>Columns only the newer version has.</summary>
    public IReadOnlyList<string> AddedColumns { get; init => field = value ?? []; } = [];

    /// <summary>Columns only the older version has.</summary>
    public IReadOnlyList<string> RemovedColumns { get; init => field = value ?? []; } = [];

    /// <summary>Columns whose type changed.</summary>
    public IReadOnlyList<ColumnTypeChange> TypeChanges { get; init => field = value ?? []; } = [];

    /// <summary>The distribution shift of each column kept with its type (datetime columns are not compared).</summary>
    public IReadOnlyList<ColumnShift> Shifts { get; init => field = value ?? []; } = [];
}

/// <summary>A column whose type changed.</summary>
public sealed record ColumnTypeChange
{
    /// <summary>The column.</summary>
    public string Column { get; init => field = value ?? ""; } = "";

    /// <summary>Its type in the older version.</summary>
    public string OldType { get; init => field = value ?? ""; } = "";

    /// <summary>Its type in the newer version.</summary>
    public string NewType { get; init => field = value ?? ""; } = "";
}

/// <summary>A column's population stability index between two versions.</summary>
public sealed record ColumnShift
{
    /// <summary>The column.</summary>
    public string Column { get; init => field = value ?? ""; } = "";

    /// <summary>
    /// The PSI, Σ (new − old) · ln(new / old) over bins: the older version's histogram bins for numbers, its top values
    /// plus "everything else" for other types.
    /// </summary>
    public double Psi { get; init; }

    /// <summary>
    /// <c>stable</c> below 0.1, <c>moderate</c> from 0.1 to 0.25, <c>major</c> from 0.25: the usual PSI thresholds.
    /// </summary>
    public string Level { get; init => field = value ?? ""; } = "";
}
