using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Client.ML;
using Keel.Client.ML.Tests;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel evaluate</c> end to end: a real registered model (ONNX export of an ML.NET model), real data, a real server.</summary>
public sealed class EvaluateCommandTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private static readonly TinyModel Tiny = new();
    private readonly string _trackingUri = server.BaseAddress.ToString();
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-cli-evaluate-").FullName;

    [Fact]
    public async Task Evaluate_ADatasetVersionWithASlice_LogsMetricsSlicesImportanceAndReport()
    {
        var name = await RegisterAsync();
        var rows = HeldOut(600);
        using var client = new KeelClient(server.Http);
        client.Data.CacheDirectory = Path.Combine(_directory, "cache");
        var dataset = "eval-" + Guid.NewGuid().ToString("N")[..8];
        await client.Data.AddAsync(WriteCsv(rows), dataset);
        var experiment = "evaluate-" + Guid.NewGuid().ToString("N");

        var result = await CliRunner.RunAsync("evaluate", "--model", $"models:/{name}@champion", "--data", $"data:/{dataset}@1", "--target", "Label",
            "--slices", "Origin", "--repeats", "3", "--experiment", experiment, "--cache-dir", Path.Combine(_directory, "models"), "--tracking-uri", _trackingUri);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        var version = await client.GetModelVersionAsync(name, 1);
        var runId = Assert.Single(version.Tags, t => t.Key == "keel.evaluation.run_id").Value;
        var run = await client.GetRunAsync(runId);
        var metrics = run.Data.Metrics.ToDictionary(m => m.Key, m => m.Value);
        var tags = run.Data.Tags.ToDictionary(t => t.Key, t => t.Value);
        var predicted = Tiny.Ml.Data.CreateEnumerable<TinyModel.Prediction>(Tiny.Model.Transform(Tiny.Ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false)
            .Select(p => p.PredictedLabel).ToList();
        Assert.Equal(rows.Where((r, i) => r.Label == predicted[i]).Count() / (double)rows.Count, metrics["accuracy"], 1e-9);
        var ord = rows.Select((r, i) => (r, i)).Where(p => p.r.Origin == "ORD").ToList();
        Assert.Equal(ord.Count(p => p.r.Label == predicted[p.i]) / (double)ord.Count, metrics["slice.Origin.ORD.accuracy"], 1e-9);
        foreach (var key in new[] { "precision", "recall", "f1", "roc_auc", "log_loss", "brier_score", "slice_gap.Origin.f1",
            "fairness.Origin.demographic_parity_difference", "fairness.Origin.equal_opportunity_difference", "fairness.Origin.disparate_impact_ratio",
            "importance.Hour", "importance.Distance", "importance.Origin" })
        {
            Assert.True(metrics.ContainsKey(key), $"{key} is missing; logged: {string.Join(", ", metrics.Keys)}");
        }

        Assert.DoesNotContain(metrics.Keys, k => k.StartsWith("importance.Label", StringComparison.Ordinal));
        Assert.Equal("true", tags["keel.evaluation"]);
        Assert.Equal($"models:/{name}/1", tags["keel.evaluation.model"]);
        Assert.Equal($"data:/{dataset}@1", tags["keel.evaluation.data"]);
        Assert.Equal($"data:/{dataset}@1", Assert.Single(run.Inputs.DatasetInputs).Dataset.Source);
        Assert.Equal("FINISHED", run.Info.Status.ToString().ToUpperInvariant());

        var json = await DownloadAsync(client, runId, "evaluation/evaluation.json");
        using var document = JsonDocument.Parse(json);
        Assert.Equal(metrics["accuracy"], document.RootElement.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-12);
        Assert.Equal(4, document.RootElement.GetProperty("slices")[0].GetProperty("groups").GetArrayLength());
        var html = await DownloadAsync(client, runId, "evaluation/report.html");
        Assert.Contains("ROC curve", html, StringComparison.Ordinal);
        Assert.Contains("Slices by Origin", html, StringComparison.Ordinal);
        Assert.Contains("<polyline", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Evaluate_WithABaseline_LogsBaselineAndDeltaMetrics()
    {
        var name = await RegisterAsync();
        using var client = new KeelClient(server.Http);
        var first = await client.GetModelVersionAsync(name, 1);
        await client.CreateModelVersionAsync(name, first.Source, first.RunId);

        var result = await CliRunner.RunAsync("evaluate", "--model", $"models:/{name}/2", "--baseline", $"models:/{name}/1", "--data", WriteCsv(HeldOut(300)),
            "--target", "Label", "--repeats", "0", "--experiment", "evaluate-" + Guid.NewGuid().ToString("N"), "--cache-dir", Path.Combine(_directory, "models"),
            "--tracking-uri", _trackingUri);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        var runId = Assert.Single((await client.GetModelVersionAsync(name, 2)).Tags, t => t.Key == "keel.evaluation.run_id").Value;
        var run = await client.GetRunAsync(runId);
        var metrics = run.Data.Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(metrics["accuracy"], metrics["baseline.accuracy"]);
        Assert.Equal(0, metrics["delta.f1"]);
        Assert.Equal($"models:/{name}/1", run.Data.Tags.Single(t => t.Key == "keel.evaluation.baseline").Value);
        using var document = JsonDocument.Parse(await DownloadAsync(client, runId, "evaluation/evaluation.json"));
        var comparison = document.RootElement.GetProperty("comparison");
        Assert.Equal(1, comparison.GetProperty("mcnemar").GetProperty("p_value").GetDouble());
        Assert.Equal(0, comparison.GetProperty("bootstrap_ci95").GetProperty("f1").GetProperty("high").GetDouble());
    }

    [Theory]
    [InlineData("--target", "Nope")]
    [InlineData("--slices", "Nope")]
    public async Task Evaluate_AColumnTheDataLacks_FailsWithOneLine_AndLogsNoRun(string option, string value)
    {
        var name = await RegisterAsync();
        var experiment = "evaluate-" + Guid.NewGuid().ToString("N");
        string[] target = option == "--target" ? [] : ["--target", "Label"];

        var result = await CliRunner.RunAsync(["evaluate", "--model", $"models:/{name}/1", "--data", WriteCsv(HeldOut(50)), option, value, .. target,
            "--experiment", experiment, "--cache-dir", Path.Combine(_directory, "models"), "--tracking-uri", _trackingUri]);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("Error", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nope", result.Error, StringComparison.Ordinal);
        using var client = new KeelClient(server.Http);
        var error = await Assert.ThrowsAsync<KeelApiException>(() => client.GetExperimentByNameAsync(experiment));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
    }

    public void Dispose() => KeelServerFixture.TryDelete(_directory);

    /// <summary>Rows drawn like the model's training data (same rule for the label), from another seed.</summary>
    private static List<TinyModel.Row> HeldOut(int count)
    {
        var random = new Random(11);
        string[] origins = ["ORD", "ATL", "SEA", "DEN"];
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var row = new TinyModel.Row { Distance = random.Next(100, 2500), Hour = random.Next(5, 23), Origin = origins[random.Next(origins.Length)] };
            row.Label = row.Hour / 23f + (row.Origin == "ORD" ? 0.4f : 0f) + (float)random.NextDouble() * 0.5f > 0.9f;
            return row;
        })];
    }

    private string WriteCsv(IEnumerable<TinyModel.Row> rows)
    {
        var csv = new StringBuilder("Distance,Hour,Origin,Label\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.Distance},{row.Hour},{row.Origin},{(row.Label ? 1 : 0)}\n");
        }

        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private async Task<string> DownloadAsync(KeelClient client, string runId, string artifact)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        await client.DownloadArtifactAsync(runId, artifact, path);
        return await File.ReadAllTextAsync(path);
    }

    private async Task<string> RegisterAsync()
    {
        using var client = new KeelClient(server.Http);
        var experimentId = await client.CreateExperimentAsync("evaluate-model-" + Guid.NewGuid().ToString("N"));
        var name = "evaluated-" + Guid.NewGuid().ToString("N")[..8];
        await using var run = await client.StartRunAsync(experimentId, "tiny");
        await run.LogModelAsync(Tiny.Model, Tiny.Data.Schema, "model", new LogModelOptions { ExportOnnx = true });
        var runInfo = await client.GetRunAsync(run.RunId);
        await client.CreateRegisteredModelAsync(name);
        var version = await client.CreateModelVersionAsync(name, runInfo.Info.ArtifactUri + "/model", run.RunId);
        await client.SetModelAliasAsync(name, "champion", version.Version);
        return name;
    }
}
