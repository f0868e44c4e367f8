using System.CommandLine;
using Keel.Core.Monitoring;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel drift --reference REF --current CUR [--format json|html|md] [--out FILE] [--categorical COLS] [--numeric COLS]
/// [--thresholds NAME=V,...] [--column-threshold COL=V,...]</c>:
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

    private static readonly Option<string?> ThresholdsOption = new("--thresholds")
    {
        Description = "Report-wide thresholds, e.g. ks=0.01,chi_square=0.01,wasserstein=0.2,jensen_shannon=0.2,dataset=0.3,small_rows=5000.",
    };

    private static readonly Option<string?> ColumnThresholdsOption = new("--column-threshold")
    {
        Description = "Per-column thresholds for whichever test the column gets, e.g. age=0.2,city=0.01.",
    };

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
        Options.Add(ThresholdsOption);
        Options.Add(ColumnThresholdsOption);
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

        DriftOptions options;
        Dictionary<string, double> columnThresholds;
        try
        {
            options = WithThresholds(new DriftOptions(), Pairs(parse.GetValue(ThresholdsOption), "--thresholds"));
            columnThresholds = Pairs(parse.GetValue(ColumnThresholdsOption), "--column-threshold");
        }
        catch (FormatException e)
        {
            output.Error(e.Message);
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

        if (categorical.Concat(numeric).Concat(columnThresholds.Keys).FirstOrDefault(c => reference.Column(c) is null) is { } unknown)
        {
            output.Error($"The reference has no column '{unknown}' (its columns: {string.Join(", ", reference.Columns.Select(c => c.Name))}).");
            return ExitCodes.InvalidArguments;
        }

        options = options with
        {
            Columns = reference.Columns.Select(c => c.Name)
                .Where(c => categorical.Contains(c) || numeric.Contains(c) || columnThresholds.ContainsKey(c))
                .ToDictionary(c => c, c => new ColumnDriftOptions(
                    categorical.Contains(c) ? ColumnKind.Categorical : numeric.Contains(c) ? ColumnKind.Numeric : null,
                    columnThresholds.TryGetValue(c, out var t) ? t : null)),
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

    private static DriftOptions WithThresholds(DriftOptions options, Dictionary<string, double> thresholds)
    {
        foreach (var (name, value) in thresholds)
        {
            options = name switch
            {
                "ks" => options with { KsPValue = Probability(name, value) },
                "chi_square" => options with { ChiSquarePValue = Probability(name, value) },
                "wasserstein" => options with { WassersteinDistance = value },
                "jensen_shannon" => options with { JensenShannonDistance = value },
                "dataset" => options with { DatasetDriftShare = Probability(name, value) },
                "small_rows" when value >= 0 && value == Math.Floor(value) && value <= int.MaxValue => options with { SmallReferenceRows = (int)value },
                "small_rows" => throw new FormatException($"--thresholds: small_rows must be a whole number of rows, not {value}."),
                _ => throw new FormatException($"--thresholds: unknown threshold '{name}'; use ks, chi_square, wasserstein, jensen_shannon, dataset or small_rows."),
            };
        }

        return options;
    }

    private static double Probability(string name, double value) =>
        value is >= 0 and <= 1 ? value : throw new FormatException($"--thresholds: {name} must be between 0 and 1, not {value}.");

    /// <summary>NAME=NUMBER,NAME=NUMBER; the numbers non-negative.</summary>
    private static Dictionary<string, double> Pairs(string? list, string option)
    {
        var pairs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in Columns(list))
        {
            var equals = item.LastIndexOf('=');
            if (equals <= 0 || !double.TryParse(item[(equals + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value) || value < 0)
            {
                throw new FormatException($"{option}: '{item}' is not NAME=NUMBER with a non-negative number.");
            }

            pairs[item[..equals]] = value;
        }

        return pairs;
    }

    private static string[] Columns(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
