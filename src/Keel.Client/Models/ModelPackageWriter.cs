using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Formats;

namespace Keel.Client;

/// <summary>
/// Lays out a model package in a temp directory the way MLflow does (MLmodel at the root, the flavors'
/// data files beside it, input_example.json), ready to upload to a run's artifacts.
/// </summary>
internal sealed class ModelPackageWriter : IDisposable
{
    public const string OnnxFileName = "model.onnx";
    private const string RequirementsFileName = "requirements.txt";

    private readonly OrderedDictionary<string, object?> _flavors = new(StringComparer.Ordinal);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("keel-model-").FullName;

    public ModelSignature? Signature { get; set; }

    public ModelInputExample? InputExample { get; set; }

    public IReadOnlyList<string> FlavorNames => [.. _flavors.Keys];

    public void AddFlavor(string name, OrderedDictionary<string, object?> settings) => _flavors[name] = settings;

    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>
    /// The <c>onnx</c> flavor plus a <c>python_function</c> flavor whose loader is <c>mlflow.onnx</c>, so
    /// <c>mlflow.pyfunc.load_model</c> and <c>mlflow.onnx.load_model</c> load the package. Keel adds the
    /// file's IR version and opset; <c>onnx_version</c> (the Python onnx package that saved it) is left out
    /// because none did.
    /// </summary>
    public void AddOnnxFlavors(OnnxModelProto header)
    {
        var onnx = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = null,
            ["data"] = OnnxFileName,
            ["providers"] = new List<object?> { "CPUExecutionProvider" },
            ["ir_version"] = header.IrVersion,
        };
        if (header.Opset is { } opset)
        {
            onnx["opset"] = opset;
        }

        AddFlavor("onnx", onnx);
        AddFlavor("python_function", new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["data"] = OnnxFileName,
            ["loader_module"] = "mlflow.onnx",
        });
        File.WriteAllText(PathOf(RequirementsFileName), "mlflow\nonnx\nonnxruntime\n");
    }

    /// <summary>Writes the input example files and MLmodel; returns the MLmodel fields MLflow records in the run's model history.</summary>
    public (string ModelUuid, OrderedDictionary<string, object?> HistoryEntry) Finish(string runId, string artifactPath)
    {
        var fields = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["artifact_path"] = artifactPath,
            ["flavors"] = _flavors,
            ["model_uuid"] = Guid.NewGuid().ToString("N"),
            ["run_id"] = runId,
            // Python's str(datetime): MLflow writes and parses this form.
            ["utc_time_created"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        };
        if (Signature is not null)
        {
            fields["signature"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["inputs"] = SchemaJson(Signature.Inputs),
                ["outputs"] = Signature.Outputs is null ? null : SchemaJson(Signature.Outputs),
                ["params"] = null,
            };
        }

        if (InputExample is not null)
        {
            File.WriteAllText(PathOf("input_example.json"), InputExample.ToJson());
            File.WriteAllText(PathOf("serving_input_example.json"), InputExample.ToServingJson());
            var info = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["artifact_path"] = "input_example.json",
                ["serving_input_path"] = "serving_input_example.json",
            };
            if (InputExample.IsTensor)
            {
                info["type"] = "ndarray";
                info["format"] = "tf-serving";
            }
            else
            {
                info["type"] = "dataframe";
                info["pandas_orient"] = "split";
            }

            fields["saved_input_example_info"] = info;
        }

        fields["model_size_bytes"] = new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        File.WriteAllText(PathOf("MLmodel"), YamlWriter.Write(fields));

        var history = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in new[] { "artifact_path", "run_id", "utc_time_created", "model_uuid", "flavors" })
        {
            history[key] = fields[key];
        }

        return ((string)fields["model_uuid"]!, history);
    }

    /// <summary>The tensor specs MLflow would write for an ONNX graph's inputs and outputs (-1 for dynamic dimensions).</summary>
    public static ModelSignature OnnxSignature(OnnxModelProto header)
    {
        static List<SchemaSpec> Specs(IEnumerable<OnnxValue> values) =>
            [.. values.Where(v => v.IsTensor && OnnxModelProto.NumpyDType(v.ElementType) is not null)
                .Select(v => new TensorSpec(v.Name, OnnxModelProto.NumpyDType(v.ElementType)!, v.Shape ?? []))];

        return new ModelSignature(Specs(header.Inputs), Specs(header.Outputs));
    }

    private static string SchemaJson(IReadOnlyList<SchemaSpec> specs) => PythonJson.Serialize(new JsonArray([.. specs.Select(SpecNode)]));

    // Key order as MLflow writes them: ColSpec type, name, required; TensorSpec name, type, tensor-spec.
    private static JsonNode SpecNode(SchemaSpec spec)
    {
        switch (spec)
        {
            case ColumnSpec column:
                var node = new JsonObject { ["type"] = column.Type.ToString().ToLowerInvariant() };
                if (column.Name is not null)
                {
                    node["name"] = column.Name;
                }

                node["required"] = column.Required;
                return node;
            case TensorSpec tensor:
                var result = new JsonObject();
                if (tensor.Name is not null)
                {
                    result["name"] = tensor.Name;
                }

                result["type"] = "tensor";
                result["tensor-spec"] = new JsonObject { ["dtype"] = tensor.DType, ["shape"] = new JsonArray([.. tensor.Shape.Select(d => (JsonNode)d)]) };
                return result;
            default:
                throw new ArgumentException($"Unknown schema entry {spec.GetType().Name}; use ColumnSpec or TensorSpec.");
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
