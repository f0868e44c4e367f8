namespace Keel.Core.Monitoring;

/// <summary>
/// A drift report of a current table against a reference: per column the test, sample sizes, statistic, p-value or
/// distance, threshold and verdict, with data quality; and the dataset verdict. Everything needed to reproduce a
/// number is in it.
/// </summary>
internal sealed record DriftReport(
    long ReferenceRows,
    long CurrentRows,
    bool DatasetDrift,
    int DriftedColumns,
    int TestedColumns,
    double DriftShare,
    double DatasetDriftThreshold,
    IReadOnlyList<ColumnDrift> Columns,
    IReadOnlyList<string> MissingColumns,
    IReadOnlyList<string> UnexpectedColumns);

/// <summary>
/// One column's result. <see cref="Drifted"/> is null, with <see cref="Reason"/>, when no test could run (an empty
/// window). <see cref="Statistic"/> is the KS D, the chi-square statistic, or the distance of a distance test;
/// <see cref="Method"/> says how it was computed (KS: exact or asymptotic; JS: its log base; Wasserstein: its scale).
/// </summary>
internal sealed record ColumnDrift(
    string Column,
    string Kind,
    string? Test,
    string? Method,
    long ReferenceCount,
    long CurrentCount,
    double? Statistic,
    double? PValue,
    int? DegreesOfFreedom,
    double? Threshold,
    string? Rule,
    bool? Drifted,
    string? Reason,
    double? Psi,
    ColumnQuality Quality,
    ColumnDistribution Distribution);

/// <summary>Data quality of the current table's column, judged against the reference.</summary>
/// <param name="OutOfRange">Numeric values below the reference's minimum or above its maximum.</param>
/// <param name="UnseenCategories">Distinct categories the reference never had.</param>
/// <param name="UnseenRows">Rows holding such a category.</param>
internal sealed record ColumnQuality(
    long ReferenceMissing,
    long Missing,
    double MissingShare,
    long TypeViolations,
    long OutOfRange,
    int UnseenCategories,
    long UnseenRows);

/// <summary>
/// What the report plots: shares of reference and current per bin (numeric: equal-width bins over both tables'
/// range, edges has one more entry than the shares) or per category (the most frequent, the rest as "other").
/// </summary>
internal sealed record ColumnDistribution(IReadOnlyList<string> Labels, IReadOnlyList<double>? Edges, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);
