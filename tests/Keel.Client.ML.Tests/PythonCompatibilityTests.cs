using System.Text.Json.Nodes;
using Keel.Testing;

namespace Keel.Client.ML.Tests;

/// <summary>
/// A package Keel logged, read back by the Python libraries MLflow itself uses: PyYAML for MLmodel (as
/// <c>Model.load</c> does) and onnx for model.onnx (as <c>mlflow.onnx.load_model</c> does: check_model, then load).
/// </summary>
public sealed class PythonCompatibilityTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-py-it-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    private const string ReadLikeMlflow = """
        import json, sys, yaml, onnx
        package = sys.argv[1]
        text = open(package + "/MLmodel").read()
        model = yaml.safe_load(text)
        onnx_path = package + "/" + model["flavors"]["onnx"]["data"]
        onnx.checker.check_model(onnx_path)
        graph = onnx.load(onnx_path).graph
        print(json.dumps({
            "same_when_redumped": yaml.safe_dump(model, default_flow_style=False) == text,
            "loader_module": model["flavors"]["python_function"]["loader_module"],
            "pyfunc_data": model["flavors"]["python_function"]["data"],
            "input_names": [c.get("name") for c in json.loads(model["signature"]["inputs"])],
            "graph_inputs": [i.name for i in graph.input],
            "example": json.load(open(package + "/" + model["saved_input_example_info"]["artifact_path"])),
            "run_id": model["run_id"],
            "utc_time_created": str(model["utc_time_created"]),
        }))
        """;

    [Fact]
    public async Task LoggedPackage_ReadWithPyYamlAndOnnx_LoadsAsMlflowWould()
    {
        var tiny = new TinyModel();
        var experimentId = await _client.CreateExperimentAsync("python-" + Guid.NewGuid().ToString("N"));
        LoggedModel logged;
        await using (var run = await _client.StartRunAsync(experimentId))
        {
            logged = await run.LogModelAsync(tiny.Model, tiny.Data.Schema, "model", new LogModelOptions { ExportOnnx = true, InputExample = tiny.Data, InputExampleRows = 2 });
        }

        var package = Path.Combine(_local, "model");
        foreach (var file in (await _client.ListArtifactsAsync(logged.RunId, "model")).Files)
        {
            await _client.DownloadArtifactAsync(logged.RunId, file.Path, Path.Combine(package, Path.GetFileName(file.Path)));
        }

        var seen = JsonNode.Parse(await DebianPython.RunAsync(ReadLikeMlflow, package))!;

        Assert.True((bool)seen["same_when_redumped"]!, "PyYAML writes the parsed MLmodel back differently from Keel");
        Assert.Equal("mlflow.onnx", (string?)seen["loader_module"]);
        Assert.Equal("model.onnx", (string?)seen["pyfunc_data"]);
        Assert.Equal(["Distance", "Hour", "Origin", "Label"], seen["input_names"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["Distance", "Hour", "Origin", "Label"], seen["graph_inputs"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["Distance", "Hour", "Origin", "Label"], seen["example"]!["columns"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(2, seen["example"]!["data"]!.AsArray().Count);
        Assert.Equal(logged.RunId, (string?)seen["run_id"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$", (string?)seen["utc_time_created"]);
    }
}
