using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Bench.Reporting;

/// <summary>Writes the report as JSON for the record and as a short table for people.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        // A file for people and scripts, never embedded in HTML: keep quotes and '<' readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteJsonAsync(BenchReport report, string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, JsonOptions, ct);
    }

    public static string Table(BenchReport report)
    {
        List<string[]> rows = [["measurement", "result", "p50 / p95 / p99 ms", "server CPU", "client CPU", "other CPU"]];
        foreach (var m in report.Measurements)
        {
            rows.Add([
                m.Name,
                $"{Number(m.Value)} {m.Unit}",
                m.LatencyMs is { } l ? $"{l.P50Ms:0.00} / {l.P95Ms:0.00} / {l.P99Ms:0.00}" : "",
                $"{m.Cost.ServerCores:0.00} cores",
                $"{m.Cost.ClientCores:0.00} cores",
                m.Cost.OtherCores is { } other ? $"{other:0.00} cores" : "-",
            ]);
        }

        List<string[]> goals = [["goal", "measured", "target", "met", "MLflow 2.10.2*"]];
        foreach (var g in report.Goals)
        {
            goals.Add([
                g.Name,
                $"{Number(g.Measured)} {g.Unit}",
                g.Goal,
                g.Met ? "yes" : "NO",
                g.Baseline is { } b ? $"{Number(b)} {g.Unit} ({g.TimesBetterThanBaseline:0.#}x)" : "-",
            ]);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Keel {report.Benchmark} benchmark ({report.Mode}), {report.Machine.Cores} cores, {report.Machine.Dotnet}, {report.TimestampUtc:u}");
        text.AppendLine();
        Columns(text, rows);
        text.AppendLine();
        if (report.Goals.Count == 0)
        {
            text.AppendLine("Goals are judged on full runs only; this scaled-down run is a smoke test.");
        }
        else
        {
            Columns(text, goals);
            text.AppendLine(CultureInfo.InvariantCulture, $"* {report.Baseline.Source} (Nx = times better than MLflow)");
        }

        text.AppendLine("CPU columns: CPU seconds per wall-clock second during the measured phase (1.00 = one core busy); "
            + "other = every other process on this shared machine.");
        return text.ToString();
    }

    private static string Number(double value) =>
        value >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static void Columns(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
