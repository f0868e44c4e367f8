namespace Keel.Core.Evaluation;

/// <summary>
/// One metric's value, or why it has none (one class present, an empty slice, ...): scikit-learn raises or warns in
/// those cases, and a NaN in a report or a gate would read as a number.
/// </summary>
internal readonly record struct MetricValue(double? Value, string? Reason)
{
    public static MetricValue Of(double value) => new(value, null);

    public static MetricValue Absent(string reason) => new(null, reason);
}
