using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Keel.Core.Evaluation;
using Keel.Core.Monitoring;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel evaluate --model URI --data FILE|data:/NAME@V [--target COL] [--slices COL,...] [--baseline URI] [--repeats N]
/// [--experiment NAME]</c>: scores the model on the data as <c>keel serve</c> would, and logs metrics, slices, fairness,
/// importance (and the comparison with a baseline) to a new run with evaluation.json and an HTML report.
/// </summary>
internal sealed class EvaluateCommand : KeelCommand
{
    public const string DataPrefix = "data:/";

    private static readonly Option<string> Model = new("--model", "-m")
    {
        Description = "The model to evaluate: models:/name@alias, models:/name/VERSION, models:/name/Stage or models:/name/latest.",
        Required = true,
    };

    private static readonly Option<string> Data = new("--data", "-d")
    {
        Description = "The evaluation data: a .csv or .parquet file, or a dataset version data:/NAME@VERSION holding one.",
        Required = true,
    };

    private static readonly Option<string?> Target = new("--target", "-t")
    {
        Description = "The column with the true values; by default the one column that is neither a model input nor a slice.",
    };

    private static readonly Option<string?> Slices = new("--slices") { Description = "Comma-separated columns to compute the metrics per value of (and fairness, for classifiers)." };

    private static readonly Option<string?> Baseline = new("--baseline") { Description = "A model to compare with on the same data (the champion)." };

    private static readonly Option<int> Repeats = new("--repeats")
    {
        Description = "Shuffles per feature for permutation importance (0 skips importance).",
        DefaultValueFactory = _ => 5,
    };

    private static readonly Option<int> ImportanceRows = new("--importance-rows")
    {
        Description = "The most rows each importance shuffle scores, drawn at random (scikit-learn's max_samples).",
        DefaultValueFactory = _ => EvaluationSettings.DefaultImportanceRows,
    };

    private static readonly Option<string> Experiment = new("--experiment", "-e")
    {
        Description = "The experiment to log the evaluation run in; created if missing.",
        DefaultValueFactory = _ => "evaluations",
    };

    private static readonly Option<int> Seed = new("--seed") { Description = "Seeds the importance shuffles and the bootstrap.", DefaultValueFactory = _ => 42 };

    private static readonly Option<string?> CacheDir = new("--cache-dir") { Description = "Where downloaded packages are kept. Defaults to ~/.cache/keel/models." };

    public EvaluateCommand()
        : base("evaluate", "Evaluate a registered model on a dataset: metrics, slices and fairness, permutation importance, a baseline comparison; logged to a run with an HTML report.")
    {
        Options.Add(Model);
        Options.Add(Data);
        Options.Add(Target);
        Options.Add(Slices);
        Options.Add(Baseline);
        Options.Add(Repeats);
        Options.Add(ImportanceRows);
        Options.Add(Experiment);
        Options.Add(Seed);
        Options.Add(CacheDir);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var repeats = parseResult.GetValue(Repeats);
        if (repeats is < 0 or > 1000)
        {
            output.Error("--repeats must be between 0 and 1000.");
            return ExitCodes.InvalidArguments;
        }

        var importanceRows = parseResult.GetValue(ImportanceRows);
        if (importanceRows < 1)
        {
            output.Error("--importance-rows must be at least 1.");
            return ExitCodes.InvalidArguments;
        }

        var request = new EvaluationRequest(
            parseResult.GetValue(Model)!,
            parseResult.GetValue(Data)!,
            parseResult.GetValue(Target),
            [.. (parseResult.GetValue(Slices) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            parseResult.GetValue(Baseline),
            new EvaluationSettings(repeats, Seed: parseResult.GetValue(Seed), ImportanceRows: importanceRows),
            parseResult.GetValue(Experiment)!,
            parseResult.GetValue(CacheDir) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keel", "models"));
        if (request.DataReference is { } reference && reference.Length == 0)
        {
            output.Error($"--data {request.Data} names no dataset; use {DataPrefix}NAME@VERSION.");
            return ExitCodes.InvalidArguments;
        }

        if (request.DataReference is null && !File.Exists(request.Data))
        {
            output.Error($"--data {request.Data}: no such file.");
            return ExitCodes.InvalidArguments;
        }

        ModelEvaluation evaluation;
        try
        {
            evaluation = await ModelEvaluation.RunAsync(client, request, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            output.Error($"could not load the model: {e.Message}");
            return ExitCodes.ModelFailedToLoad;
        }

        var runId = await EvaluationRun.LogAsync(client, request, evaluation, cancellationToken);
        Print(output, evaluation, runId);
        return ExitCodes.Success;
    }

    private static void Print(CliOutput output, ModelEvaluation evaluation, string runId)
    {
        var result = evaluation.Result;
        output.Console.MarkupLineInterpolated($"Evaluated [bold]{evaluation.Subject.Model}[/] on {evaluation.Subject.Data}: {result.Rows} rows, run [bold]{runId}[/].");
        var table = new Table().AddColumns("metric", "value");
        if (result.Comparison is not null)
        {
            table.AddColumns("baseline", "delta");
        }

        foreach (var (name, value) in result.Overall.Values)
        {
            var row = new List<string> { name, Format(value) };
            if (result.Comparison is { } comparison)
            {
                row.Add(Format(comparison.Baseline.Values[name]));
                row.Add(Format(comparison.Deltas[name]));
            }

            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        output.Console.Write(table);
        if (result.Importance.Count > 0)
        {
            output.Console.MarkupLineInterpolated($"Most important: {string.Join(", ", result.Importance.Take(3).Select(i => $"{i.Feature} ({Format(MetricValue.Of(i.Mean))})"))}.");
        }
    }

    private static string Format(MetricValue value) =>
        value.Value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "— (" + value.Reason + ")";
}

/// <summary>The parsed arguments of one evaluation.</summary>
internal sealed record EvaluationRequest(string Model, string Data, string? Target, IReadOnlyList<string> Slices, string? Baseline,
    EvaluationSettings Settings, string Experiment, string CacheDirectory)
{
    /// <summary>NAME@VERSION when the data is a dataset version, else null.</summary>
    public string? DataReference => Data.StartsWith(EvaluateCommand.DataPrefix, StringComparison.Ordinal) ? Data[EvaluateCommand.DataPrefix.Length..] : null;
}
