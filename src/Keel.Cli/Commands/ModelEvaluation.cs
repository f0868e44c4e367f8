using Keel.Client;
using Keel.Core.Evaluation;
using Keel.Core.Monitoring;
using Keel.Serving.Evaluation;
using Keel.Serving.Models;

namespace Keel.Cli.Commands;

/// <summary>
/// Loads the model (and the baseline) as <c>keel serve</c> does, reads the data, scores it and computes the
/// evaluation. Nothing is written to the server here, so a failure leaves no half-logged run.
/// </summary>
internal sealed record ModelEvaluation(EvaluationSubject Subject, ModelVersion Version, ModelVersion? BaselineVersion, string? DatasetUri, EvaluationResult Result)
{
    /// <exception cref="FormatException">The data does not fit the model or the options.</exception>
    /// <exception cref="InvalidOperationException">A model cannot be loaded.</exception>
    public static async Task<ModelEvaluation> RunAsync(KeelClient client, EvaluationRequest request, CancellationToken ct)
    {
        var version = await client.ResolveModelUriAsync(request.Model, ct);
        var baselineVersion = request.Baseline is null ? null : await client.ResolveModelUriAsync(request.Baseline, ct);
        using var downloads = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        downloads.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
        var (table, datasetUri) = await ReadDataAsync(client, request, ct);
        using var model = await LoadAsync(client, downloads, request.CacheDirectory, version, ct);
        using var baseline = baselineVersion is null ? null : await LoadAsync(client, downloads, request.CacheDirectory, baselineVersion, ct);

        var batch = TableScoring.Batch(model, table);
        var outputs = model.Predict(batch);
        var task = TableScoring.TaskOf(outputs);
        var targetName = TargetColumn(request, model, table);
        var targetColumn = table.Column(targetName) ?? throw new FormatException(
            $"The data has no target column '{targetName}' (it has {string.Join(", ", table.Columns.Select(c => c.Name))}).");
        var target = task == EvaluationTask.Binary
            ? new Target(TableScoring.Labels(targetColumn), null)
            : new Target(null, TableScoring.Numbers(targetColumn));
        var slices = request.Slices.Select(name =>
        {
            var column = table.Column(name) ?? throw new FormatException($"--slices names column '{name}', which the data does not have.");
            return new SliceColumn(name, [.. Enumerable.Range(0, column.Length).Select(column.Text)]);
        }).ToList();

        ModelAnswers? baselinePredictions = null;
        if (baseline is not null)
        {
            var baselineOutputs = baseline.Predict(TableScoring.Batch(baseline, table));
            if (TableScoring.TaskOf(baselineOutputs) != task)
            {
                throw new FormatException($"The baseline answers as a {TableScoring.TaskOf(baselineOutputs)} model, the model as a {task} one; they cannot be compared.");
            }

            baselinePredictions = TableScoring.Read(baselineOutputs, task);
        }

        // ML.NET's exports take the label as an input they pass through; shuffling it says nothing about the model.
        var features = Enumerable.Range(0, model.Inputs.Fields.Count).Where(f => model.Inputs.Fields[f].Name != targetName).ToList();
        // ONNX Runtime sessions are configured for one thread a call, so shuffles scored in parallel use the cores.
        var result = Evaluator.Evaluate(target, TableScoring.Read(outputs, task), slices, request.Settings, baselinePredictions,
            [.. features.Select(f => model.Inputs.Fields[f].Name)],
            (feature, sample, source) => TableScoring.Read(model.Predict(TableScoring.Shuffled(batch, features[feature], sample, source)), task));
        var subject = new EvaluationSubject(Uri(version), datasetUri ?? Path.GetFileName(request.Data), targetName, baselineVersion is null ? null : Uri(baselineVersion));
        return new ModelEvaluation(subject, version, baselineVersion, datasetUri, result);
    }

    public static string Uri(ModelVersion version) => $"models:/{version.Name}/{version.Version}";

    private static string TargetColumn(EvaluationRequest request, ServedModel model, DriftTable table)
    {
        if (request.Target is { } target)
        {
            return target;
        }

        var candidates = table.Columns.Select(c => c.Name)
            .Where(n => model.Inputs.IndexOf(n) < 0 && !request.Slices.Contains(n)).ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new FormatException($"Name the target column with --target; the data has {(candidates.Count == 0 ? "no column" : "several columns")} besides the model's inputs and the slices ({string.Join(", ", candidates)}).");
    }

    private static async Task<(DriftTable Table, string? DatasetUri)> ReadDataAsync(KeelClient client, EvaluationRequest request, CancellationToken ct)
    {
        if (request.DataReference is not { } reference)
        {
            return (await DriftTableReader.ReadAsync(request.Data, ct), null);
        }

        var directory = Path.Combine(Path.GetTempPath(), "keel-evaluate-" + Guid.NewGuid().ToString("N"));
        try
        {
            var version = await client.Data.GetAsync(reference, directory, ct);
            var tables = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".csv" or ".parquet").ToList();
            if (tables.Count != 1)
            {
                throw new FormatException($"{request.Data} holds {tables.Count} .csv/.parquet files; keel evaluate needs a dataset version with exactly one table.");
            }

            return (await DriftTableReader.ReadAsync(tables[0], ct), $"{EvaluateCommand.DataPrefix}{version.Name}@{version.Version}");
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<ServedModel> LoadAsync(KeelClient client, HttpClient downloads, string cache, ModelVersion version, CancellationToken ct)
    {
        var uri = await client.GetModelVersionDownloadUriAsync(version.Name, version.Version, ct);
        var directory = await new ModelPackageDownloader(downloads, cache).DownloadAsync(version.Name, version.Version, uri, ct);
        return ModelLoader.Load(directory, version.Name, version.Version);
    }
}
