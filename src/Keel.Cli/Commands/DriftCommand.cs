using System.CommandLine;
using Keel.Core.Monitoring;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel drift --reference REF --current CUR [--format json|html|md] [--out FILE] [--categorical COLS] [--numeric COLS]</c>:
/// the monitoring drift report for two local files, without a server. Exits <see cref="ExitCodes.DriftDetected"/>
/// on dataset drift so a script or CI step can gate on it.
/// </summary>
internal sealed class DriftCommand : Command
{
    private static readonly Option<FileInfo> ReferenceOption = new("--reference") { Description = "The reference table (.csv or .parquet), e.g. the training data.", Required = true };

    private static readonly Option<FileInfo> CurrentOption = new("--current") { Description = "The current table (.csv or .parquet) to compare with it.", Required = true };

    private static readonly Option<string> FormatOption = new("--format")
    {
        Description = "The report format: md (the default), json, or html (one self-contained file with a plot per column).",
        DefaultValueFactory = _ => "md",
    };

    private static readonly Option<FileInfo?> OutOption = new("--out") { Description = "Write the report to this file instead of standard output." };

    private static readonly Option<string?> CategoricalOption = new("--categorical") { Description = "Comma-separated columns to test as categorical, whatever their values." };

    private static readonly Option<string?> NumericOption = new("--numeric") { Description = "Comma-separated columns to test as numeric, whatever their values." };

    public DriftCommand()
        : base("drift", "Compare a current table with a reference: per-column drift tests, data quality and dataset drift (exit code 12 on drift).")
    {
        FormatOption.AcceptOnlyFromAmong("md", "json", "html");
        Options.Add(ReferenceOption);
        Options.Add(CurrentOption);
        Options.Add(FormatOption);
        Options.Add(OutOption);
        Options.Add(CategoricalOption);
        Options.Add(NumericOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var output = new CliOutput(parse.InvocationConfiguration);
        var categorical = Columns(parse.GetValue(CategoricalOption));
        var numeric = Columns(parse.GetValue(NumericOption));
        if (categorical.Intersect(numeric).FirstOrDefault() is { } both)
        {
            output.Error($"Column '{both}' is named in both --categorical and --numeric.");
            return ExitCodes.InvalidArguments;
        }

        DriftTable reference, current;
        try
        {
            reference = await DriftTableReader.ReadAsync(parse.GetRequiredValue(ReferenceOption).FullName, ct);
            current = await DriftTableReader.ReadAsync(parse.GetRequiredValue(CurrentOption).FullName, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or Parquet.ParquetException)
        {
            output.Error(e.Message);
            return ExitCodes.InvalidArguments;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            output.Error("Cancelled.");
            return ExitCodes.Cancelled;
        }

        if (categorical.Concat(numeric).FirstOrDefault(c => reference.Column(c) is null) is { } unknown)
        {
            output.Error($"The reference has no column '{unknown}' (its columns: {string.Join(", ", reference.Columns.Select(c => c.Name))}).");
            return ExitCodes.InvalidArguments;
        }

        var options = new DriftOptions
        {
            Columns = categorical.Select(c => (c, new ColumnDriftOptions(ColumnKind.Categorical)))
                .Concat(numeric.Select(c => (c, new ColumnDriftOptions(ColumnKind.Numeric))))
                .ToDictionary(p => p.c, p => p.Item2),
        };
        var typed = ColumnTyping.Prepare(reference, current, options);
        var report = DriftReporter.Compute(typed.Samples, reference.Rows, current.Rows, options, typed.MissingColumns, typed.UnexpectedColumns);
        var text = parse.GetValue(FormatOption) switch
        {
            "json" => DriftReportText.Json(report),
            "html" => DriftReportHtml.Render(report),
            _ => DriftReportText.Markdown(report),
        };

        if (parse.GetValue(OutOption) is { } file)
        {
            try
            {
                await File.WriteAllTextAsync(file.FullName, text, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.Error($"Could not write {file.FullName}: {e.Message}");
                return ExitCodes.InvalidArguments;
            }

            output.Line(DriftReportText.Summary(report).Replace("**", "", StringComparison.Ordinal));
            output.Line($"Report: {file.FullName}");
        }
        else
        {
            output.Line(text.TrimEnd());
        }

        return report.DatasetDrift ? ExitCodes.DriftDetected : ExitCodes.Success;
    }

    private static string[] Columns(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
