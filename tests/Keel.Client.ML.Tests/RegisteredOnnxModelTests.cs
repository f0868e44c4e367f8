using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.Testing;

namespace Keel.Client.ML.Tests;

/// <summary>
/// An ONNX model through the registry as a deployment would take it: logged, registered the way MLflow
/// clients register (source = the run's artifact location), found again through get-download-uri and the
/// artifact proxy, and run by ONNX Runtime with the same outputs.
/// </summary>
public sealed class RegisteredOnnxModelTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private const string Api = "/api/2.0/mlflow";
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-onnx-registry-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    [Fact]
    public async Task OnnxModel_LoggedRegisteredAndDownloadedThroughTheRegistry_ScoresTheSame()
    {
        var tiny = new TinyModel();
        var onnxFile = tiny.ExportOnnx(Path.Combine(_local, "tiny.onnx"));
        var before = OnnxRunner.Run(onnxFile, tiny.Samples);
        var experimentId = await _client.CreateExperimentAsync("onnx-registry-" + Guid.NewGuid().ToString("N"));
        LoggedModel logged;
        await using (var run = await _client.StartRunAsync(experimentId, "onnx"))
        {
            logged = await run.LogOnnxModelAsync(onnxFile, "model");
        }

        var name = "delay-" + Guid.NewGuid().ToString("N")[..8];
        (await PostAsync("/registered-models/create", new { name })).EnsureSuccessStatusCode();
        var runInfo = await _client.GetRunAsync(logged.RunId);
        var version = await ReadAsync(await PostAsync("/model-versions/create",
            new { name, source = runInfo.Info.ArtifactUri + "/model", run_id = logged.RunId }));
        Assert.Equal("1", (string)version["model_version"]!["version"]!);
        Assert.DoesNotContain(Tags(version["model_version"]!), t => t.Key == "keel.package.warnings");

        var uri = (string)(await ReadAsync(await server.Http.GetAsync($"{Api}/model-versions/get-download-uri?name={name}&version=1")))["artifact_uri"]!;
        Assert.StartsWith("mlflow-artifacts:/", uri, StringComparison.Ordinal);
        var path = uri["mlflow-artifacts:/".Length..];
        var listed = (await server.Http.GetFromJsonAsync<JsonObject>($"{Proxy}?path={Uri.EscapeDataString(path)}"))!["files"]!.AsArray();
        Assert.Contains(listed, f => (string)f!["path"]! == "model.onnx");
        var downloaded = Path.Combine(_local, "registered.onnx");
        await File.WriteAllBytesAsync(downloaded, await server.Http.GetByteArrayAsync($"{Proxy}/{path}/model.onnx"));

        var after = OnnxRunner.Run(downloaded, tiny.Samples);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, output => Assert.Equal(output.Value, after[output.Key]));
    }

    [Fact]
    public async Task OnnxPackageWithoutSignature_IsRegisteredWithTheGraphsSignatureAndAWarning()
    {
        var (runId, root) = await UploadPackageAsync("""
            artifact_path: model
            flavors:
              onnx:
                data: model.onnx
            """, includeModel: true);

        var version = (await ReadAsync(await RegisterAsync(runId, root)))["model_version"]!;

        var tags = Tags(version);
        Assert.Contains("no signature", tags["keel.package.warnings"], StringComparison.Ordinal);
        Assert.Contains("inferred from the ONNX graph", tags["keel.package.warnings"], StringComparison.Ordinal);
        var inferred = JsonNode.Parse(tags["keel.signature.inferred"])!;
        var inputs = JsonNode.Parse((string)inferred["inputs"]!)!.AsArray();
        Assert.Contains(inputs, i => (string)i!["name"]! == "Distance" && (string)i["type"]! == "tensor");

        // The model card shows the inferred signature, since the package has none of its own.
        var name = (string)version["name"]!;
        var card = await server.Http.GetFromJsonAsync<JsonObject>($"/api/keel/v1/models/{name}/versions/1/card");
        Assert.Contains(card!["signature"]!["inputs"]!.AsArray(), f => (string)f!["name"]! == "Distance" && ((string)f["type"]!).StartsWith("tensor float32", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PackageWhoseFlavorDataIsMissing_IsRefused_AndNoVersionIsCreated()
    {
        var (runId, root) = await UploadPackageAsync("""
            artifact_path: model
            flavors:
              onnx:
                data: model.onnx
            """, includeModel: false);

        var name = "pkg-" + Guid.NewGuid().ToString("N")[..8];
        var response = await RegisterAsync(runId, root, name);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ReadAsync(response);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)error["error_code"]!);
        Assert.Contains("model.onnx", (string)error["message"]!, StringComparison.Ordinal);
        var versions = await ReadAsync(await server.Http.GetAsync($"{Api}/model-versions/search?filter={Uri.EscapeDataString($"name='{name}'")}"));
        Assert.Null(versions["model_versions"]);
    }

    [Fact]
    public async Task PlainFiles_AreRegisteredWithAWarning()
    {
        var experimentId = await _client.CreateExperimentAsync("plain-" + Guid.NewGuid().ToString("N"));
        var runId = (await _client.CreateRunAsync(experimentId)).Info.RunId;
        var file = Path.Combine(_local, "weights.bin");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);
        await _client.UploadArtifactAsync(runId, file, "model");

        var version = (await ReadAsync(await RegisterAsync(runId, "model")))["model_version"]!;

        Assert.Contains("No MLmodel", Tags(version)["keel.package.warnings"], StringComparison.Ordinal);
    }

    private async Task<(string RunId, string Root)> UploadPackageAsync(string mlmodel, bool includeModel)
    {
        var experimentId = await _client.CreateExperimentAsync("pkg-" + Guid.NewGuid().ToString("N"));
        var runId = (await _client.CreateRunAsync(experimentId)).Info.RunId;
        var dir = Directory.CreateDirectory(Path.Combine(_local, runId)).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "MLmodel"), mlmodel);
        await _client.UploadArtifactAsync(runId, Path.Combine(dir, "MLmodel"), "model");
        if (includeModel)
        {
            await _client.UploadArtifactAsync(runId, new TinyModel().ExportOnnx(Path.Combine(dir, "model.onnx")), "model");
        }

        return (runId, "model");
    }

    private async Task<HttpResponseMessage> RegisterAsync(string runId, string path, string? name = null)
    {
        name ??= "pkg-" + Guid.NewGuid().ToString("N")[..8];
        (await PostAsync("/registered-models/create", new { name })).EnsureSuccessStatusCode();
        return await PostAsync("/model-versions/create", new { name, source = $"runs:/{runId}/{path}", run_id = runId });
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) => server.Http.PostAsJsonAsync(Api + path, body);

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static Dictionary<string, string> Tags(JsonNode version) =>
        (version["tags"]?.AsArray() ?? []).ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
}
