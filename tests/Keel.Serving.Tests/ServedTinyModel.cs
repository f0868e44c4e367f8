using System.Runtime.CompilerServices;
using Keel.Client;
using Keel.Client.ML;
using Keel.Client.ML.Tests;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>
/// <see cref="TinyModel"/> registered on a test server twice: as Keel.Client.ML logs ML.NET models (mlnet + onnx
/// flavors, column signature) under alias "champion", and as a bare ONNX file (tensor signature from the graph).
/// </summary>
public sealed class ServedTinyModel
{
    private static readonly ConditionalWeakTable<KeelServerFixture, Task<ServedTinyModel>> Registered = new();

    private ServedTinyModel(TinyModel tiny, string columnModel, string tensorModel)
    {
        Tiny = tiny;
        ColumnModel = columnModel;
        TensorModel = tensorModel;
    }

    public TinyModel Tiny { get; }

    /// <summary>Registered model name of the mlnet + onnx package with a column signature.</summary>
    public string ColumnModel { get; }

    /// <summary>Registered model name of the bare ONNX package, whose inputs are [-1, 1] tensors.</summary>
    public string TensorModel { get; }

    /// <summary>ML.NET's own scores for rows, the numbers every served format must reproduce.</summary>
    public float[] ExpectedScores(IEnumerable<TinyModel.Row> rows) => TinyModel.Scores(Tiny.Ml, Tiny.Model, rows);

    public static Task<ServedTinyModel> OnAsync(KeelServerFixture server) => Registered.GetValue(server, RegisterAsync);

    /// <summary>A new model with versions 1 and 2 (the same servable package) and 3, whose package does not exist.</summary>
    public static async Task<string> RegisterVersionsAsync(KeelServerFixture server)
    {
        var tiny = await OnAsync(server);
        using var client = new KeelClient(server.Http);
        var registered = await client.ResolveModelUriAsync($"models:/{tiny.ColumnModel}/1");
        var name = "deployed-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateRegisteredModelAsync(name);
        await client.CreateModelVersionAsync(name, registered.Source, registered.RunId);
        await client.CreateModelVersionAsync(name, registered.Source, registered.RunId);
        await client.CreateModelVersionAsync(name, registered.Source + "-missing", registered.RunId);
        return name;
    }

    private static async Task<ServedTinyModel> RegisterAsync(KeelServerFixture server)
    {
        var tiny = new TinyModel();
        using var client = new KeelClient(server.Http);
        var experimentId = await client.CreateExperimentAsync("serving-" + Guid.NewGuid().ToString("N"));
        var columnModel = "tiny-" + Guid.NewGuid().ToString("N")[..8];
        var tensorModel = columnModel + "-tensors";
        var onnx = Path.Combine(Path.GetTempPath(), $"keel-tiny-{Guid.NewGuid():N}.onnx");
        try
        {
            await using var run = await client.StartRunAsync(experimentId, "tiny");
            var logged = await run.LogModelAsync(tiny.Model, tiny.Data.Schema, "model", new LogModelOptions { ExportOnnx = true });
            var bare = await client.LogOnnxModelAsync(run.RunId, tiny.ExportOnnx(onnx), "bare");
            var runInfo = await client.GetRunAsync(run.RunId);
            foreach (var (name, path) in new[] { (columnModel, "model"), (tensorModel, "bare") })
            {
                await client.CreateRegisteredModelAsync(name);
                var version = await client.CreateModelVersionAsync(name, runInfo.Info.ArtifactUri + "/" + path, run.RunId);
                await client.SetModelAliasAsync(name, "champion", version.Version);
            }
        }
        finally
        {
            File.Delete(onnx);
        }

        return new ServedTinyModel(tiny, columnModel, tensorModel);
    }
}
