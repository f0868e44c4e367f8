using System.Text;

namespace Keel.Core.Evaluation;

/// <summary>
/// Metric keys logged by an evaluation (the contract with gates). Tracking accepts letters, digits, '_', '-', '.', ' '
/// and '/' in keys; a slice value may hold anything, so every other character (and '/', which could make two keys
/// alias as file paths) becomes '_', and a missing value is <c>__missing__</c>. Distinct values can therefore share a
/// key ("a+b" and "a_b"); evaluation.json keeps the original values.
/// </summary>
internal static class MetricKeys
{
    public const string Missing = "__missing__";

    public static string Slice(string column, string? value, string metric) => $"slice.{Part(column)}.{Value(value)}.{metric}";

    public static string SliceGap(string column, string metric) => $"slice_gap.{Part(column)}.{metric}";

    public static string Fairness(string column, string measure) => $"fairness.{Part(column)}.{measure}";

    public static string Importance(string feature) => $"importance.{Part(feature)}";

    public static string Value(string? value) => value is null ? Missing : Part(value);

    public static string Part(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
