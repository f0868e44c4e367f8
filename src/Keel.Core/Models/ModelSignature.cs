using Keel.Formats;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Core.Models;

/// <summary>One entry of a schema: a named (or positional) column, or a tensor.</summary>
internal abstract record SchemaSpec(string? Name);

/// <summary>
/// A column: MLflow's <c>ColSpec</c>, <c>{"type": "double", "name": "x", "required": true}</c>. Complex
/// types (array, object, map, any) keep their extra JSON members in <paramref name="Details"/>.
/// </summary>
internal sealed record ColumnSpec(string? Name, string Type, bool Required = true, JsonObject? Details = null) : SchemaSpec(Name);

/// <summary>A tensor: MLflow's <c>TensorSpec</c>, a numpy dtype name and a shape with -1 for a free dimension.</summary>
internal sealed record TensorSpec(string? Name, string DType, IReadOnlyList<long> Shape) : SchemaSpec(Name)
{
    public bool Equals(TensorSpec? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape.SequenceEqual(other.Shape);

    public override int GetHashCode() => HashCode.Combine(Name, DType, Shape.Count);
}

/// <summary>MLflow's type names for columns and numpy's for tensors, as MLflow accepts them.</summary>
internal static class SchemaTypes
{
    public static readonly IReadOnlySet<string> ColumnTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "boolean", "integer", "long", "float", "double", "string", "binary", "datetime",
    };

    // MLflow 2.10+ nested types; their inner structure is preserved, not checked.
    public static readonly IReadOnlySet<string> ComplexColumnTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "array", "object", "map", "any",
    };

    public static readonly IReadOnlySet<string> TensorDTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float16", "float32", "float64", "str", "bytes", "object",
    };
}

/// <summary>
/// A list of column specs or of tensor specs (MLflow forbids mixing them), named or all unnamed.
/// In MLmodel it is a JSON string: <c>[{"type": "double", "name": "x", "required": true}]</c>.
/// </summary>
internal sealed record ModelSchema(IReadOnlyList<SchemaSpec> Specs)
{
    public bool IsTensorBased => Specs.Count > 0 && Specs[0] is TensorSpec;

    public bool Equals(ModelSchema? other) => other is not null && Specs.SequenceEqual(other.Specs);

    public override int GetHashCode() => Specs.Count;

    /// <exception cref="FormatException">Not JSON, not a list of specs, an unknown type name, or a mix MLflow refuses.</exception>
    public static ModelSchema Parse(string json, string what)
    {
        JsonArray array;
        try
        {
            array = JsonNode.Parse(json) as JsonArray ?? throw new FormatException($"{what} must be a JSON list of column or tensor specs.");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what} is not valid JSON: {e.Message}", e);
        }

        var specs = array.Select((node, i) => ParseSpec(node as JsonObject ?? throw new FormatException($"{what}[{i}] must be a JSON object."), $"{what}[{i}]")).ToList();
        if (specs.Select(s => s.GetType()).Distinct().Count() > 1)
        {
            throw new FormatException($"{what} mixes column specs and tensor specs; MLflow allows one kind per schema.");
        }

        if (specs.Count > 0 && specs.Any(s => s.Name is null) && specs.Any(s => s.Name is not null))
        {
            throw new FormatException($"{what} mixes named and unnamed entries; name all of them or none.");
        }

        var duplicate = specs.Where(s => s.Name is not null).GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{what} names '{duplicate.Key}' more than once.");
        }

        return new ModelSchema(specs);
    }

    private static SchemaSpec ParseSpec(JsonObject spec, string where)
    {
        var type = spec["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName : throw new FormatException($"{where} has no \"type\".");
        var name = spec["name"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => throw new FormatException($"{where} has a \"name\" that is not a string."),
        };

        if (type == "tensor")
        {
            var tensor = spec["tensor-spec"] as JsonObject ?? throw new FormatException($"{where} is a tensor without \"tensor-spec\".");
            var dtype = tensor["dtype"] is JsonValue d && d.TryGetValue<string>(out var dtypeName) ? dtypeName : throw new FormatException($"{where} has no tensor dtype.");
            if (!SchemaTypes.TensorDTypes.Contains(dtype))
            {
                throw new FormatException($"{where} has unknown tensor dtype '{dtype}'; expected one of {string.Join(", ", SchemaTypes.TensorDTypes)}.");
            }

            var shape = tensor["shape"] as JsonArray ?? throw new FormatException($"{where} has no tensor shape.");
            var dims = shape.Select(dim => dim is JsonValue v && v.TryGetValue<long>(out var n) && n >= -1
                ? n
                : throw new FormatException($"{where} has a shape entry '{dim?.ToJsonString()}'; dimensions are integers, -1 for any size.")).ToList();
            return new TensorSpec(name, dtype, dims);
        }

        if (!SchemaTypes.ColumnTypes.Contains(type) && !SchemaTypes.ComplexColumnTypes.Contains(type))
        {
            throw new FormatException($"{where} has unknown type '{type}'; expected one of {string.Join(", ", SchemaTypes.ColumnTypes)} (or tensor, array, object, map, any).");
        }

        var required = spec["required"] is not JsonValue r || !r.TryGetValue<bool>(out var isRequired) || isRequired;
        JsonObject? details = null;
        foreach (var (key, value) in spec)
        {
            if (key is not ("type" or "name" or "required"))
            {
                (details ??= [])[key] = value?.DeepClone();
            }
        }

        return new ColumnSpec(name, type, required, details);
    }

    public string ToJson() => PythonJson.Serialize(new JsonArray(Specs.Select(ToNode).ToArray()));

    // Key order as MLflow writes them: ColSpec type (and a complex type's structure), name, required; TensorSpec name, type, tensor-spec.
    private static JsonNode ToNode(SchemaSpec spec)
    {
        switch (spec)
        {
            case TensorSpec t:
                var tensor = new JsonObject();
                if (t.Name is not null)
                {
                    tensor["name"] = t.Name;
                }

                tensor["type"] = "tensor";
                tensor["tensor-spec"] = new JsonObject { ["dtype"] = t.DType, ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()) };
                return tensor;
            case ColumnSpec c:
                var column = new JsonObject { ["type"] = c.Type };
                foreach (var (key, value) in c.Details ?? [])
                {
                    column[key] = value?.DeepClone();
                }

                if (c.Name is not null)
                {
                    column["name"] = c.Name;
                }

                column["required"] = c.Required;

                return column;
            default:
                throw new InvalidOperationException($"Unknown spec {spec.GetType().Name}.");
        }
    }
}

/// <summary>
/// What a model takes and returns: MLflow's <c>ModelSignature</c>. <see cref="ParamsJson"/> (inference
/// parameters) is kept as MLflow wrote it.
/// </summary>
internal sealed record ModelSignature(ModelSchema Inputs, ModelSchema? Outputs = null, string? ParamsJson = null)
{
    /// <summary>Reads MLmodel's <c>signature</c> mapping, whose values are JSON strings.</summary>
    /// <exception cref="FormatException">The mapping or one of its schemas is malformed.</exception>
    public static ModelSignature FromMapping(object? value)
    {
        if (value is not IDictionary<string, object?> map)
        {
            throw new FormatException("signature must be a mapping with 'inputs' and 'outputs'.");
        }

        var inputs = map.TryGetValue("inputs", out var i) && i is string inputsJson
            ? ModelSchema.Parse(inputsJson, "signature.inputs")
            : throw new FormatException("signature.inputs must be a JSON string.");
        var outputs = map.TryGetValue("outputs", out var o) && o is not null
            ? ModelSchema.Parse(o as string ?? throw new FormatException("signature.outputs must be a JSON string."), "signature.outputs")
            : null;
        var parameters = map.TryGetValue("params", out var p) ? p as string : null;
        return new ModelSignature(inputs, outputs, parameters);
    }

    public OrderedDictionary<string, object?> ToMapping() => new(StringComparer.Ordinal)
    {
        ["inputs"] = Inputs.ToJson(),
        ["outputs"] = Outputs?.ToJson(),
        ["params"] = ParamsJson,
    };
}
