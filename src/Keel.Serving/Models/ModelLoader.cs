using Keel.Core.Models;

namespace Keel.Serving.Models;

/// <summary>Loads a downloaded model package directory: ONNX Runtime when it has the onnx flavor, ML.NET for mlnet.</summary>
internal static class ModelLoader
{
    /// <param name="flavor">The flavor to load, or null for onnx if present, else mlnet.</param>
    /// <exception cref="InvalidOperationException">No servable flavor, or the model and its signature do not fit.</exception>
    public static ServedModel Load(string directory, string name, long version, string? flavor = null)
    {
        var mlmodel = MLmodel.Parse(File.ReadAllText(Path.Combine(directory, MLmodel.FileName)));
        var signature = mlmodel.ReadSignature();
        flavor ??= mlmodel.Flavor(Flavors.Onnx) is not null ? Flavors.Onnx : mlmodel.Flavor(Flavors.MlNet) is not null ? Flavors.MlNet : null;
        var configuration = flavor is null ? null : mlmodel.Flavor(flavor);
        if (configuration is null)
        {
            throw new InvalidOperationException(
                $"The package at {directory} has no {(flavor is null ? "onnx or mlnet" : flavor)} flavor; it has {string.Join(", ", mlmodel.Flavors.Keys)}.");
        }

        var data = configuration.GetValueOrDefault("data") as string ?? throw new InvalidOperationException($"The {flavor} flavor does not name its data file.");
        var file = Path.GetFullPath(Path.Combine(directory, data));
        if (!file.StartsWith(Path.GetFullPath(directory), StringComparison.Ordinal) || !File.Exists(file))
        {
            throw new InvalidOperationException($"The {flavor} flavor's data file '{data}' is not in the package.");
        }

        return flavor switch
        {
            Flavors.Onnx => OnnxServedModel.Load(file, name, version, signature),
            Flavors.MlNet => MlNetServedModel.Load(file, name, version, signature),
            _ => throw new InvalidOperationException($"Keel serves the onnx and mlnet flavors, not {flavor}."),
        };
    }
}
