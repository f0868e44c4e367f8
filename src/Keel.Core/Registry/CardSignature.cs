using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Models;

namespace Keel.Core.Registry;

/// <summary>
/// A package's signature as a model card shows it: one line per field with MLflow's type name spelled out
/// (a tensor's dtype and shape, an array's item type, a param's default). Parsing is the model packages'
/// (<see cref="MLmodel"/>, <see cref="Models.ModelSignature"/>); this only renders.
/// </summary>
internal static class CardSignature
{
    /// <summary>The signature of an MLmodel file, or null when it has none; throws <see cref="FormatException"/> on a malformed file.</summary>
    public static ModelSignature? FromMLmodel(string yaml) =>
        MLmodel.Parse(yaml).ReadSignature() is { } signature ? Render(signature) : null;

    /// <summary>The signature registration inferred from an ONNX graph (tag <see cref="RegistryStore.InferredSignatureTag"/>).</summary>
    public static ModelSignature? FromInferredTag(string json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject;
            return node is null ? null : Render(Models.ModelSignature.FromMapping(new Dictionary<string, object?>
            {
                ["inputs"] = (string?)node["inputs"],
                ["outputs"] = (string?)node["outputs"],
            }));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static ModelSignature Render(Models.ModelSignature signature) => new(
        signature.Inputs.Specs.Select(Field).ToList(),
        signature.Outputs?.Specs.Select(Field).ToList() ?? [],
        signature.ParamsJson is { } parameters ? Params(parameters) : []);

    private static SignatureField Field(SchemaSpec spec) => spec switch
    {
        TensorSpec t => new SignatureField(t.Name, $"tensor {t.DType} ({string.Join(", ", t.Shape)})", true),
        // "required" since MLflow 2.10; older signatures said "optional".
        ColumnSpec c => new SignatureField(c.Name, ColumnType(c.Type, c.Details), c.Required && c.Details?["optional"]?.GetValue<bool>() != true),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, null),
    };

    private static string ColumnType(string type, JsonObject? details) =>
        type == "array" && details?["items"] is JsonObject items && (string?)items["type"] is { } itemType
            ? $"array<{ColumnType(itemType, items)}>"
            : type;

    // Param specs stay the JSON MLflow wrote: {"name", "type", "default", "shape"}.
    private static List<SignatureField> Params(string json)
    {
        try
        {
            return (JsonNode.Parse(json) as JsonArray ?? []).OfType<JsonObject>().Select(p =>
            {
                var type = (string?)p["type"] ?? "unknown";
                if (p["shape"] is JsonArray)
                {
                    type += "[]";
                }
                else if (p["default"] is { } value)
                {
                    type = string.Create(CultureInfo.InvariantCulture, $"{type} (default {value.ToJsonString()})");
                }

                return new SignatureField((string?)p["name"], type, true);
            }).ToList();
        }
        catch (JsonException e)
        {
            throw new FormatException($"The signature's params are not valid JSON: {e.Message}", e);
        }
    }
}
