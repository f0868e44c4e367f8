namespace Keel.Core.Tracking;

/// <summary>
/// How a metric value sits in the metrics tables. SQLite turns NaN into NULL, so, as in MLflow's
/// schema, NaN is stored as 0 with an is_nan flag and read back as NaN.
/// </summary>
internal static class StoredMetricValue
{
    public static double Value(double value) => double.IsNaN(value) ? 0d : value;

    public static bool IsNan(double value) => double.IsNaN(value);

    public static double Read(double stored, bool isNan) => isNan ? double.NaN : stored;
}
