using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Monitoring;

/// <summary>A drift report as JSON (snake_case, like the rest of keel's JSON) and as Markdown.</summary>
internal static class DriftReportText
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Json(DriftReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static string Markdown(DriftReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Drift report").AppendLine();
        md.AppendLine(Summary(report)).AppendLine();
        foreach (var (label, names) in new[] { ("Columns missing from the current table", report.MissingColumns), ("Columns only in the current table", report.UnexpectedColumns) })
        {
            if (names.Count > 0)
            {
                md.AppendLine($"{label}: {string.Join(", ", names.Select(n => $"`{n}`"))}").AppendLine();
            }
        }

        md.AppendLine("| column | kind | test | n ref | n cur | statistic | p-value | threshold | drift | PSI | missing | type violations | out of range | unseen categories |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var c in report.Columns)
        {
            var q = c.Quality;
            md.AppendLine(string.Join(" | ", [
                $"| {Escape(c.Column)}", c.Kind, c.Test is null ? "-" : c.Method is null ? c.Test : $"{c.Test} ({c.Method})",
                Number(c.ReferenceCount), Number(c.CurrentCount), Format(c.Statistic), Format(c.PValue), c.Rule ?? "-", Verdict(c),
                Format(c.Psi), string.Create(CultureInfo.InvariantCulture, $"{Number(q.Missing)} ({q.MissingShare:P1})"), Number(q.TypeViolations), Number(q.OutOfRange),
                q.UnseenCategories == 0 ? "0" : $"{q.UnseenCategories} ({Number(q.UnseenRows)} rows)",
            ]) + " |");
        }

        return md.ToString();
    }

    public static string Summary(DriftReport report) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(report.DatasetDrift ? "**Dataset drift**" : "No dataset drift")}: {report.DriftedColumns} of {report.TestedColumns} tested columns drifted "
            + $"(share {report.DriftShare:0.###}, dataset drift at >= {report.DatasetDriftThreshold}); reference {report.ReferenceRows:N0} rows, current {report.CurrentRows:N0} rows.");

    public static string Verdict(ColumnDrift c) => c.Drifted switch
    {
        true => "**drift**",
        false => "no drift",
        null => $"no verdict: {c.Reason}",
    };

    public static string Format(double? value) => value switch
    {
        null => "-",
        { } v when v != 0 && Math.Abs(v) < 1e-4 => v.ToString("0.###e0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
