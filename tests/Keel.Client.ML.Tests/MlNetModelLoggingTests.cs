using Keel.Core.Artifacts;
using Keel.Core.Models;
using Keel.Core.Storage;
using Keel.Testing;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using CoreColumnSpec = Keel.Core.Models.ColumnSpec;

namespace Keel.Client.ML.Tests;

/// <summary>ML.NET models logged through a real Keel server, downloaded and loaded again.</summary>
public sealed class MlNetModelLoggingTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private static readonly TinyModel Tiny = new();
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-mlnet-it-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    [Fact]
    public async Task LogModel_WithOnnxExportAndExample_LoadsWithSamePredictionsAndOnnxMatchesTheScore()
    {
        var logged = await LogAsync(new LogModelOptions { ExportOnnx = true, InputExample = Tiny.Data, InputExampleRows = 3 });

        var package = await DownloadAsync(logged.RunId, logged.ArtifactPath);
        var ml = new MLContext();
        var loaded = ml.Model.Load(Path.Combine(package, "model.zip"), out var loadedSchema);
        Assert.Equal(TinyModel.Scores(Tiny.Ml, Tiny.Model, Tiny.Samples), TinyModel.Scores(ml, loaded, Tiny.Samples));
        Assert.Equal(Tiny.Data.Schema.Select(c => c.Name), loadedSchema.Select(c => c.Name));

        var onnx = OnnxRunner.Run(Path.Combine(package, "model.onnx"), Tiny.Samples);
        var mlnetScores = TinyModel.Scores(Tiny.Ml, Tiny.Model, Tiny.Samples);
        Assert.Equal(mlnetScores.Length, onnx["Score.output"].Length);
        for (var i = 0; i < mlnetScores.Length; i++)
        {
            Assert.Equal(mlnetScores[i], onnx["Score.output"][i], 1e-5f);
        }

        var mlmodel = MLmodel.Parse(await File.ReadAllTextAsync(Path.Combine(package, "MLmodel")));
        Assert.Equal(["mlnet", "onnx", "python_function"], mlmodel.Flavors.Keys.Order(StringComparer.Ordinal));
        var mlnet = mlmodel.Flavor("mlnet")!;
        Assert.Equal("model.zip", mlnet["data"]);
        Assert.Equal("Microsoft.ML.MLContext.Model.Load", mlnet["loader"]);
        Assert.Equal("5.0.1", mlnet["mlnet_version"]);
        Assert.Equal(new List<object?> { "Microsoft.ML==5.0.1" }, mlnet["requirements"]);

        var signature = mlmodel.ReadSignature()!;
        Assert.Equal(
            [
                new CoreColumnSpec("Distance", "float"), new CoreColumnSpec("Hour", "float"), new CoreColumnSpec("Origin", "string"),
                new CoreColumnSpec("Label", "boolean", Required: false),
            ],
            signature.Inputs.Specs);
        Assert.Equal([new CoreColumnSpec("PredictedLabel", "boolean"), new CoreColumnSpec("Score", "float"), new CoreColumnSpec("Probability", "float")], signature.Outputs!.Specs);
        Assert.Equal(new InputExampleInfo("input_example.json", "dataframe", PandasOrient: "split", ServingInputPath: "serving_input_example.json"),
            mlmodel.SavedInputExampleInfo);
        Assert.Contains("\"dataframe_split\"", await File.ReadAllTextAsync(Path.Combine(package, "serving_input_example.json")), StringComparison.Ordinal);

        var report = await ValidateOnServerAsync(logged);
        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task LogModel_WithoutOnnx_WritesOnlyTheMlnetFlavorAndRegistrationWarnsAboutPython()
    {
        var logged = await LogAsync(options: null);

        Assert.Equal(["mlnet"], logged.Flavors);
        Assert.Equal(["MLmodel", "model.zip"], (await _client.ListArtifactsAsync(logged.RunId, "model")).Files.Select(f => Path.GetFileName(f.Path)));
        var report = await ValidateOnServerAsync(logged);
        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Contains("no python_function flavor", Assert.Single(report.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogModel_WithVectorInputAndNoSignature_ThrowsNotSupported()
    {
        var vectors = Tiny.Ml.Data.LoadFromEnumerable(new[] { new VectorRow { Features = [1, 2, 3], Label = true }, new VectorRow { Features = [3, 2, 1] } });
        var model = Tiny.Ml.BinaryClassification.Trainers.SdcaLogisticRegression().Fit(vectors);
        var experimentId = await _client.CreateExperimentAsync("mlnet-vector-" + Guid.NewGuid().ToString("N"));
        await using var run = await _client.StartRunAsync(experimentId);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => run.LogModelAsync(model, vectors.Schema));

        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
    }

    private sealed class VectorRow
    {
        [Microsoft.ML.Data.VectorType(3)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private async Task<LoggedModel> LogAsync(LogModelOptions? options)
    {
        var experimentId = await _client.CreateExperimentAsync("mlnet-" + Guid.NewGuid().ToString("N"));
        await using var run = await _client.StartRunAsync(experimentId, "tiny");
        return await run.LogModelAsync(Tiny.Model, Tiny.Data.Schema, "model", options);
    }

    private async Task<string> DownloadAsync(string runId, string artifactPath)
    {
        var target = Path.Combine(_local, "download-" + runId);
        foreach (var file in (await _client.ListArtifactsAsync(runId, artifactPath)).Files.Where(f => !f.IsDir))
        {
            await _client.DownloadArtifactAsync(runId, file.Path, Path.Combine(target, Path.GetFileName(file.Path)));
        }

        return target;
    }

    private async Task<ModelPackageReport> ValidateOnServerAsync(LoggedModel logged)
    {
        var run = await _client.GetRunAsync(logged.RunId);
        var root = run.Info.ArtifactUri["mlflow-artifacts:/".Length..] + "/" + logged.ArtifactPath;
        var store = new LocalArtifactStore(Options.Create(new StorageOptions { DataDirectory = server.DataDirectory }));
        return await ModelPackageValidator.ValidateAsync(new ModelPackageReader(store, root), CancellationToken.None);
    }
}
