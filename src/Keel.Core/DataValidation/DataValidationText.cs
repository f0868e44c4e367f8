using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.DataValidation;

/// <summary>The report as text for people and as JSON for scripts and the run artifact.</summary>
internal static class DataValidationText
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Json(DataValidationReport report) => JsonSerializer.Serialize(new
    {
        report.Data,
        report.Against,
        report.Status,
        report.Rows,
        report.Columns,
        report.Violations,
        label_shift = report.Label,
    }, JsonOptions);

    public static string Text(DataValidationReport report)
    {
        var text = new StringBuilder();
        var verdict = report.Passed ? "PASSED" : $"FAILED ({report.Violations.Count} violation{(report.Violations.Count == 1 ? "" : "s")})";
        text.AppendLine(CultureInfo.InvariantCulture, $"Data validation of {report.Data} against {report.Against}: {verdict}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{report.Rows} rows, {report.Columns} columns");
        var kindWidth = report.Violations.Select(v => v.Kind.Length).DefaultIfEmpty(0).Max();
        var columnWidth = report.Violations.Select(v => (v.Column ?? "-").Length).DefaultIfEmpty(0).Max();
        foreach (var v in report.Violations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {v.Kind.PadRight(kindWidth)}  {(v.Column ?? "-").PadRight(columnWidth)}  {v.Message}");
        }

        if (report.Label is { } label)
        {
            text.AppendLine(FormattableString.Invariant($"Label '{label.Column}': PSI {label.Psi:0.####} (limit {label.Threshold:0.####})") +
                (label.ChiSquarePValue is { } p ? FormattableString.Invariant($", chi-square p = {p:0.####}") : ""));
        }

        return text.ToString().TrimEnd();
    }
}
