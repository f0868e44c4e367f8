using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Keel.Core.Registry;

/// <summary>
/// Reads the <c>signature:</c> block of an MLmodel file, and nothing else. MLflow writes the block's
/// <c>inputs</c>, <c>outputs</c> and <c>params</c> as JSON strings inside the YAML (mlflow/models/signature.py,
/// <c>ModelSignature.to_dict</c>); column specs, tensor specs and param specs are all understood.
/// </summary>
internal static class ModelSignatureReader
{
    /// <summary>The signature, or null when the file has no signature block; throws <see cref="FormatException"/> on a malformed one.</summary>
    public static ModelSignature? Read(TextReader mlmodel)
    {
        var yaml = new YamlStream();
        try
        {
            yaml.Load(mlmodel);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"MLmodel is not valid YAML: {e.Message}", e);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("signature"), out var node) || node is not YamlMappingNode signature)
        {
            return null;
        }

        return new ModelSignature(Fields(signature, "inputs"), Fields(signature, "outputs"), Fields(signature, "params"));
    }

    private static List<SignatureField> Fields(YamlMappingNode signature, string key)
    {
        if (!signature.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlScalarNode { Value: { Length: > 0 } json }
            || json == "null")
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().Select(Field).ToList() : [];
        }
        catch (JsonException e)
        {
            throw new FormatException($"The signature's {key} are not valid JSON: {e.Message}", e);
        }
    }

    private static SignatureField Field(JsonElement spec)
    {
        var name = spec.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        // "required" since MLflow 2.10; older signatures said "optional".
        var required = spec.TryGetProperty("required", out var r) ? r.ValueKind != JsonValueKind.False
            : !(spec.TryGetProperty("optional", out var o) && o.ValueKind == JsonValueKind.True);
        return new SignatureField(name, TypeName(spec), required);
    }

    private static string TypeName(JsonElement spec)
    {
        var type = spec.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown";
        if (type == "tensor" && spec.TryGetProperty("tensor-spec", out var tensor))
        {
            var dtype = tensor.TryGetProperty("dtype", out var d) ? d.GetString() : "?";
            var shape = tensor.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array
                ? "(" + string.Join(", ", s.EnumerateArray().Select(x => x.GetRawText())) + ")"
                : "";
            return $"tensor {dtype} {shape}".TrimEnd();
        }

        if (type == "array" && spec.TryGetProperty("items", out var items))
        {
            return $"array<{TypeName(items)}>";
        }

        // A param spec with a shape is a list of values ("shape": [-1]).
        if (spec.TryGetProperty("shape", out var paramShape) && paramShape.ValueKind == JsonValueKind.Array)
        {
            return type + "[]";
        }

        return spec.TryGetProperty("default", out var value) && value.ValueKind != JsonValueKind.Null
            ? string.Create(CultureInfo.InvariantCulture, $"{type} (default {value.GetRawText()})")
            : type;
    }
}
