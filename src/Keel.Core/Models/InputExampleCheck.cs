using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Core.Models;

/// <summary>
/// Whether an input example can be fed to a model with the given signature: every required column is
/// there with values of its type, or every tensor is there with a compatible shape and element type.
/// </summary>
internal static class InputExampleCheck
{
    public static void Check(InputExampleInfo info, string json, ModelSchema inputs, List<string> errors, List<string> warnings)
    {
        JsonNode? example;
        try
        {
            example = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            errors.Add($"Input example '{info.ArtifactPath}' is not valid JSON: {e.Message}");
            return;
        }

        // With inference params the data sits under "inputs" and the params beside it.
        if (info.HasParams)
        {
            example = (example as JsonObject)?["inputs"];
        }

        switch (info.Type)
        {
            case "dataframe" when inputs.IsTensorBased:
            case "ndarray" when !inputs.IsTensorBased:
                warnings.Add($"Input example '{info.ArtifactPath}' is a{(info.Type == "ndarray" ? "n" : "")} {info.Type} but the signature is {(inputs.IsTensorBased ? "tensor" : "column")}-based; it was not checked against it.");
                break;
            case "dataframe":
                CheckDataFrame(info, example, inputs, errors, warnings);
                break;
            case "ndarray":
                CheckTensors(info, example, inputs, errors);
                break;
            default:
                warnings.Add($"Input example '{info.ArtifactPath}' has type '{info.Type}', which Keel does not check.");
                break;
        }
    }

    private static void CheckDataFrame(InputExampleInfo info, JsonNode? example, ModelSchema inputs, List<string> errors, List<string> warnings)
    {
        if (example is not JsonObject frame || frame["data"] is not JsonArray rows)
        {
            errors.Add($"Input example '{info.ArtifactPath}' is not a pandas 'split' or 'values' JSON object with a \"data\" list.");
            return;
        }

        var specs = inputs.Specs.Cast<ColumnSpec>().ToList();
        List<string?> columns;
        if (frame["columns"] is JsonArray names)
        {
            columns = names.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString()).ToList();
        }
        else
        {
            // 'values' orient: columns are positional; they line up with the signature's order.
            columns = specs.Select(s => s.Name).Take(rows.FirstOrDefault() is JsonArray first ? first.Count : 0).ToList();
        }

        var position = columns.Select((name, i) => (name, i)).Where(c => c.name is not null).ToDictionary(c => c.name!, c => c.i, StringComparer.Ordinal);
        foreach (var (spec, index) in specs.Select((s, i) => (s, i)))
        {
            var column = spec.Name is null ? (index < columns.Count ? index : -1) : position.GetValueOrDefault(spec.Name, -1);
            var label = spec.Name ?? $"#{index}";
            if (column < 0)
            {
                if (spec.Required)
                {
                    errors.Add($"Input example '{info.ArtifactPath}' has no column '{label}', which the signature requires.");
                }

                continue;
            }

            for (var r = 0; r < rows.Count; r++)
            {
                if (rows[r] is not JsonArray row || row.Count != columns.Count)
                {
                    errors.Add($"Input example '{info.ArtifactPath}' row {r} does not have {columns.Count} values.");
                    return;
                }

                if (!Conforms(row[column], spec))
                {
                    errors.Add($"Input example '{info.ArtifactPath}' row {r} column '{label}' is {Describe(row[column])}, not {spec.Type}.");
                }
            }
        }

        var extra = columns.Where(c => c is not null && specs.All(s => s.Name != c)).ToList();
        if (specs.Any(s => s.Name is not null) && extra.Count > 0)
        {
            warnings.Add($"Input example '{info.ArtifactPath}' has column(s) the signature does not name: {string.Join(", ", extra)}. MLflow drops them before scoring.");
        }
    }

    private static bool Conforms(JsonNode? value, ColumnSpec spec)
    {
        if (value is null)
        {
            // Missing values: allowed for optional columns, and as NaN for floating point (pandas writes NaN as null).
            return !spec.Required || spec.Type is "float" or "double";
        }

        if (SchemaTypes.ComplexColumnTypes.Contains(spec.Type))
        {
            return true;
        }

        if (value is not JsonValue v)
        {
            return false;
        }

        return spec.Type switch
        {
            "boolean" => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "integer" => v.TryGetValue<int>(out _),
            "long" => v.TryGetValue<long>(out _),
            "float" or "double" => v.GetValueKind() == JsonValueKind.Number,
            "string" or "binary" => v.GetValueKind() == JsonValueKind.String,
            "datetime" => v.TryGetValue<string>(out var s) && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
            _ => false,
        };
    }

    private static void CheckTensors(InputExampleInfo info, JsonNode? example, ModelSchema inputs, List<string> errors)
    {
        var data = (example as JsonObject)?["inputs"] ?? (example as JsonObject)?["instances"];
        if (data is null)
        {
            errors.Add($"Input example '{info.ArtifactPath}' is not TF-serving JSON ({{\"inputs\": ...}}).");
            return;
        }

        var specs = inputs.Specs.Cast<TensorSpec>().ToList();
        if (data is JsonObject named && specs.All(s => s.Name is not null))
        {
            foreach (var spec in specs)
            {
                if (named[spec.Name!] is { } tensor)
                {
                    CheckTensor(info, spec.Name!, tensor, spec, errors);
                }
                else
                {
                    errors.Add($"Input example '{info.ArtifactPath}' has no tensor '{spec.Name}', which the signature requires.");
                }
            }
        }
        else if (specs.Count == 1)
        {
            CheckTensor(info, specs[0].Name ?? "#0", data, specs[0], errors);
        }
        else
        {
            errors.Add($"Input example '{info.ArtifactPath}' holds one unnamed tensor but the signature has {specs.Count} inputs.");
        }
    }

    private static void CheckTensor(InputExampleInfo info, string label, JsonNode tensor, TensorSpec spec, List<string> errors)
    {
        var shape = new List<long>();
        for (var node = tensor; node is JsonArray array; node = array.Count > 0 ? array[0] : null)
        {
            shape.Add(array.Count);
        }

        var compatible = shape.Count == spec.Shape.Count && shape.Zip(spec.Shape).All(d => d.Second == -1 || d.First == d.Second);
        if (!compatible)
        {
            errors.Add($"Input example '{info.ArtifactPath}' tensor '{label}' has shape [{string.Join(", ", shape)}], which does not fit the signature's [{string.Join(", ", spec.Shape)}].");
            return;
        }

        var bad = Leaves(tensor).FirstOrDefault(leaf => !FitsDType(leaf, spec.DType));
        if (bad is not null || Leaves(tensor).Count() != shape.Aggregate(1L, (a, b) => a * b))
        {
            errors.Add($"Input example '{info.ArtifactPath}' tensor '{label}' {(bad is null ? "is ragged" : $"holds {Describe(bad)}")}, not {spec.DType} values of shape [{string.Join(", ", spec.Shape)}].");
        }
    }

    private static IEnumerable<JsonNode?> Leaves(JsonNode? node) =>
        node is JsonArray array ? array.SelectMany(Leaves) : [node];

    private static bool FitsDType(JsonNode? leaf, string dtype)
    {
        if (leaf is not JsonValue v)
        {
            // null stands for NaN in MLflow's example JSON.
            return leaf is null && dtype.StartsWith("float", StringComparison.Ordinal);
        }

        return dtype switch
        {
            "bool" => v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            "str" or "bytes" => v.GetValueKind() == JsonValueKind.String,
            "object" => true,
            _ when dtype.StartsWith("float", StringComparison.Ordinal) => v.GetValueKind() == JsonValueKind.Number,
            _ => v.TryGetValue<long>(out var n) && (!dtype.StartsWith('u') || n >= 0),
        };
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v => $"{v.GetValueKind().ToString().ToLowerInvariant()} {v.ToJsonString()}",
        JsonArray => "a list",
        _ => "an object",
    };
}
