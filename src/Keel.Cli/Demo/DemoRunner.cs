using System.Globalization;
using Keel.Client;
using Keel.Client.ML;
using Microsoft.ML;
using Spectre.Console;

namespace Keel.Cli.Demo;

/// <summary>
/// The main job, stage by stage: train a real model on real flights data as a tracked
/// hyper-parameter sweep. Later stages (registry, deployment, monitoring) extend this flow.
/// </summary>
internal sealed partial class DemoRunner(KeelClient client, IAnsiConsole console, string workDirectory)
{
    public const string ExperimentName = "flights-delay";
    public const string ModelName = "flights-delay";
    public const string ChampionAlias = "champion";

    private readonly DemoDatasets _datasets = new(client, console, workDirectory);
    private DatasetVersion? _trainingVersion;
    private IReadOnlyList<FlightRecord> _trainingRows = [];
    private IReadOnlyList<FlightRecord> _heldOut = [];

    public async Task<IReadOnlyList<(string RunId, TrainingResult Result)>> RunSweepAsync(CancellationToken ct)
    {
        var data = FlightsData.Load(FlightsSample.TrainingMonthPath);
        var dataset = data.Describe("flights-2001-01");
        var split = data.Split();
        console.MarkupLine($"[bold]1. Data[/]  {dataset.RowCount:N0} US flights from January 2001 ({Path.GetFileName(dataset.SourcePath)}, sha256 {dataset.Digest[..12]}…), " +
            $"{split.Training.Count:N0} for training, {split.Validation.Count:N0} for validation. Task: will a flight be ≥ 15 min late?");
        var version = await _datasets.AddTrainingAsync(dataset.SourcePath, ct);
        (_trainingVersion, _trainingRows, _heldOut) = (version, split.Training, split.Validation);

        var experimentId = await GetOrCreateExperimentAsync(ct);
        console.MarkupLine($"[bold]2. Sweep[/]  experiment '{ExperimentName}' (id {experimentId}), {SweepPlan.Default.Count} FastTree configurations:");

        var results = new List<(string, TrainingResult)>();
        foreach (var configuration in SweepPlan.Default)
        {
            results.Add(await TrainOneAsync(experimentId, configuration, ToInput(dataset, version), split, ct));
        }

        return results;
    }

    private async Task<(string, TrainingResult)> TrainOneAsync(
        string experimentId, SweepConfiguration configuration, DatasetInput input, FlightSplit split, CancellationToken ct)
    {
        await using var run = await client.StartRunAsync(experimentId, configuration.Name,
            new Dictionary<string, string> { ["mlflow.source.name"] = "keel demo", ["mlflow.source.type"] = "LOCAL" }, ct);
        try
        {
            foreach (var (key, value) in configuration.Params)
            {
                run.LogParam(key, value);
            }

            await client.LogInputsAsync(run.RunId, [input], ct);
            var modelPath = Path.Combine(workDirectory, $"{configuration.Name}.zip");
            var result = DelayModelTrainer.Train(configuration, split, modelPath, run.LogMetric, ct);
            run.SetTag("keel.model.format", "mlnet");
            await run.FlushAsync(ct);
            var package = await LogModelPackageAsync(run, modelPath, split, ct);
            console.MarkupLine($"   run {run.RunId}  {configuration.Name,-28} val_auc {result.Validation.Auc:F4}  " +
                $"({result.Elapsed.TotalSeconds:F1} s, {configuration.NumberOfTrees / configuration.EvaluateEvery} steps logged, " +
                $"model {package.ModelUri}: {string.Join(" + ", package.Flavors)})");
            return (run.RunId, result);
        }
        catch
        {
            run.MarkFailed();
            throw;
        }
    }

    // An MLflow model package: the zip under the mlnet flavor, the same model as ONNX (onnx and python_function
    // flavors, so MLflow's Python client can load it), a column signature and a few validation rows as example.
    private static async Task<LoggedModel> LogModelPackageAsync(ActiveRun run, string modelPath, FlightSplit split, CancellationToken ct)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out var inputSchema);
        var example = ml.Data.LoadFromEnumerable(split.Validation.Take(ExampleRows).Select(FlightInput.From));
        return await run.LogModelAsync(model, inputSchema, "model",
            new LogModelOptions { ExportOnnx = true, InputExample = example, InputExampleRows = ExampleRows }, ct);
    }

    private const int ExampleRows = 5;

    /// <summary>
    /// Registers the best run's model package as a new version of <see cref="ModelName"/> (registration checks the
    /// package and its signature) and points <see cref="ChampionAlias"/> at it, as a team promotes a sweep's winner.
    /// </summary>
    public async Task<ModelVersion> RegisterChampionAsync(IReadOnlyList<(string RunId, TrainingResult Result)> results, CancellationToken ct)
    {
        var best = results.MaxBy(r => r.Result.Validation.Auc);
        try
        {
            await client.CreateRegisteredModelAsync(ModelName, "Will a US flight depart 15+ minutes late? (Keel demo)", cancellationToken: ct);
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceAlreadyExists)
        {
            // A demo run before this one registered it; this run adds a version.
        }

        var version = await client.CreateModelVersionAsync(ModelName, $"runs:/{best.RunId}/model", best.RunId,
            description: $"FastTree {best.Result.Configuration.Name}, validation AUC {best.Result.Validation.Auc:F4}", cancellationToken: ct);
        await client.SetModelVersionTagAsync(ModelName, version.Version, ModelCard.IntendedUseTag,
            "Ranking scheduled US domestic flights by their risk of a 15+ minute departure delay; trained on January 2001 only.", ct);
        console.MarkupLine($"[bold]3. Registry[/]  {ModelName} version {version.Version} from run {best.RunId[..8]} ({best.Result.Configuration.Name}); " +
            $"@{ChampionAlias} requires the '{GateName}' gate.");
        if (!await EvaluateAndGateAsync(version, ct))
        {
            throw new InvalidOperationException($"Version {version.Version} did not pass the '{GateName}' gate, so the demo cannot promote it; see its evaluation run.");
        }

        await client.SetModelAliasAsync(ModelName, ChampionAlias, version.Version, ct);
        console.MarkupLine($"   Gate passed: @{ChampionAlias} now points at version {version.Version}.");
        console.MarkupLine($"   Card: ./keel models card {ModelName}@{ChampionAlias}    Lineage: ./keel models lineage {ModelName}@{ChampionAlias}");
        return version;
    }

    private async Task<string> GetOrCreateExperimentAsync(CancellationToken ct)
    {
        try
        {
            return (await client.GetExperimentByNameAsync(ExperimentName, ct)).ExperimentId;
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
        {
            return await client.CreateExperimentAsync(ExperimentName,
                tags: new Dictionary<string, string> { ["mlflow.note.content"] = "Predict whether a US flight departs 15+ minutes late (Keel demo)." }, cancellationToken: ct);
        }
    }

    /// <summary>Adds the held-out flights' long-haul sub-population as the next version of the training dataset and shows the diff.</summary>
    public Task<DatasetDiff> AddShiftedBatchAsync(CancellationToken ct) =>
        _trainingVersion is { } training
            ? _datasets.AddShiftedBatchAsync(training, _heldOut, ct)
            : throw new InvalidOperationException("Run the sweep first: the shifted batch is the next version of its training data.");

    // The Keel data version by its URI, as KeelDataClient.LogInputAsync logs it, plus the MLflow schema and profile so MLflow's
    // own views describe the columns. MLflow caps dataset digests at 36 characters; the version's URI names the exact content.
    private static DatasetInput ToInput(DatasetDescription d, DatasetVersion version) => new()
    {
        Dataset = new Dataset
        {
            Name = version.Name,
            Digest = version.Digest[..32],
            SourceType = "keel",
            Source = version.Uri,
            Schema = d.SchemaJson,
            Profile = d.ProfileJson,
        },
        Tags = [new Tag("mlflow.data.context", "training")],
    };

    public void PrintSummary(IReadOnlyList<(string RunId, TrainingResult Result)> results, Uri server, string? restartDataDirectory)
    {
        var best = results.MaxBy(r => r.Result.Validation.Auc);
        var table = new Table().AddColumns("Run", "Configuration", "Leaves", "LR", "Trees", "val_auc", "val_log_loss", "val_accuracy");
        foreach (var (runId, r) in results)
        {
            var mark = runId == best.RunId ? "[green]★[/] " : "";
            table.AddRow(runId[..8], mark + r.Configuration.Name, Num(r.Configuration.NumberOfLeaves), Num(r.Configuration.LearningRate),
                Num(r.Configuration.NumberOfTrees), r.Validation.Auc.ToString("F4", CultureInfo.InvariantCulture),
                r.Validation.LogLoss.ToString("F4", CultureInfo.InvariantCulture), r.Validation.Accuracy.ToString("F4", CultureInfo.InvariantCulture));
        }

        console.MarkupLine("[bold]9. Results[/]");
        console.Write(table);
        console.MarkupLine($"Best run: {best.RunId} ({best.Result.Configuration.Name}), validation AUC {best.Result.Validation.Auc:F4}.");
        if (restartDataDirectory is null)
        {
            console.MarkupLine($"Tracking server: {server}  (MLflow clients: MLFLOW_TRACKING_URI={server.ToString().TrimEnd('/')})");
            console.MarkupLine($"Look: ./keel runs list --experiment {ExperimentName} --order-by \"metrics.val_auc DESC\" --tracking-uri {server}");
        }
        else
        {
            console.MarkupLine($"Look: ./keel server --data {Markup.Escape(restartDataDirectory)}, then ./keel runs list --experiment {ExperimentName} --order-by \"metrics.val_auc DESC\"");
        }

        static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
