using System.Text.Json.Nodes;
using Keel.Core.Artifacts;
using Keel.Core.Models;
using Keel.Core.Storage;
using Keel.Testing;
using Microsoft.Extensions.Options;

namespace Keel.Client.ML.Tests;

/// <summary>An ONNX file logged through a real Keel server, downloaded through its artifact proxy and run again.</summary>
public sealed class OnnxModelLoggingTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-onnx-it-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    [Fact]
    public async Task LogOnnxModel_DownloadedPackage_ScoresTheSameAndCarriesTheGraphsSignature()
    {
        var tiny = new TinyModel();
        var onnxFile = tiny.ExportOnnx(Path.Combine(_local, "tiny.onnx"));
        var before = OnnxRunner.Run(onnxFile, tiny.Samples);
        var experimentId = await _client.CreateExperimentAsync("onnx-" + Guid.NewGuid().ToString("N"));
        var example = ModelInputExample.FromTensors(new Dictionary<string, Array>
        {
            ["Distance"] = new float[,] { { 412 }, { 1800 } },
            ["Hour"] = new float[,] { { 7 }, { 21 } },
            ["Origin"] = new string[,] { { "ORD" }, { "SEA" } },
            ["Label"] = new bool[,] { { false }, { true } },
        });

        LoggedModel logged;
        await using (var run = await _client.StartRunAsync(experimentId, "onnx"))
        {
            logged = await run.LogOnnxModelAsync(onnxFile, "model", inputExample: example);
        }

        var package = await DownloadAsync(logged.RunId, "model");
        var after = OnnxRunner.Run(Path.Combine(package, "model.onnx"), tiny.Samples);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, output => Assert.Equal(output.Value, after[output.Key]));

        var mlmodel = MLmodel.Parse(await File.ReadAllTextAsync(Path.Combine(package, "MLmodel")));
        Assert.Equal(["onnx", "python_function"], mlmodel.Flavors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("mlflow.onnx", mlmodel.Flavor("python_function")!["loader_module"]);
        Assert.Equal("model.onnx", mlmodel.Flavor("python_function")!["data"]);
        Assert.Equal("model.onnx", mlmodel.Flavor("onnx")!["data"]);
        Assert.Equal(logged.ModelUuid, mlmodel.ModelUuid);
        Assert.Equal(logged.RunId, mlmodel.RunId);

        var inferred = OnnxModelInspector.Inspect(await File.ReadAllBytesAsync(Path.Combine(package, "model.onnx")));
        var written = mlmodel.ReadSignature()!;
        Assert.Equal(inferred.Signature.Inputs.ToJson(), written.Inputs.ToJson());
        Assert.Equal(inferred.Signature.Outputs!.ToJson(), written.Outputs!.ToJson());
        Assert.Equal(inferred.Opset, mlmodel.Flavor("onnx")!["opset"]);
        Assert.Contains(new Keel.Core.Models.TensorSpec("Distance", "float32", [-1, 1]), inferred.Signature.Inputs.Specs);
        Assert.Equal(
            inferred.Signature.Inputs.Specs.Select(s => s.Name),
            logged.Signature!.Inputs.Select(s => s.Name));

        var report = await ValidateOnServerAsync(logged);
        Assert.True(report.IsValid, string.Join("; ", report.Errors));
        Assert.Empty(report.Warnings);

        var history = JsonNode.Parse((await _client.GetRunAsync(logged.RunId)).Data.Tags.Single(t => t.Key == "mlflow.log-model.history").Value)!.AsArray();
        var entry = Assert.Single(history)!;
        Assert.Equal("model", (string?)entry["artifact_path"]);
        Assert.Equal(logged.ModelUuid, (string?)entry["model_uuid"]);
        Assert.Equal("mlflow.onnx", (string?)entry["flavors"]!["python_function"]!["loader_module"]);
    }

    [Fact]
    public async Task LogOnnxModel_FileThatIsNotOnnx_ThrowsArgumentExceptionAndUploadsNothing()
    {
        var file = Path.Combine(_local, "not.onnx");
        await File.WriteAllTextAsync(file, "not a model");
        var experimentId = await _client.CreateExperimentAsync("onnx-bad-" + Guid.NewGuid().ToString("N"));
        var runId = (await _client.CreateRunAsync(experimentId)).Info.RunId;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.LogOnnxModelAsync(runId, file));

        Assert.Contains("is not an ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Empty((await _client.ListArtifactsAsync(runId)).Files);
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

    // What registration will do: read the package where the server stored it.
    private async Task<ModelPackageReport> ValidateOnServerAsync(LoggedModel logged)
    {
        var run = await _client.GetRunAsync(logged.RunId);
        var root = run.Info.ArtifactUri["mlflow-artifacts:/".Length..] + "/" + logged.ArtifactPath;
        var store = new LocalArtifactStore(Options.Create(new StorageOptions { DataDirectory = server.DataDirectory }));
        return await ModelPackageValidator.ValidateAsync(new ModelPackageReader(store, root), CancellationToken.None);
    }
}
