using Keel.Formats;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Core.Models;

/// <summary>What ONNX Runtime sees in an ONNX model: its tensor signature, and the operator sets it was built for.</summary>
internal sealed record OnnxModelDescription(ModelSignature Signature, long IrVersion, long? Opset, string ProducerName, IReadOnlyList<string> NonTensorValues);

internal static class OnnxModelInspector
{
    /// <summary>
    /// Loads the model into an ONNX Runtime session (which proves it is runnable) and turns the session's
    /// input and output metadata into MLflow tensor specs, -1 for each dynamic dimension. The opset is not
    /// in the session metadata, so it is read from the file's header.
    /// </summary>
    /// <remarks>
    /// Shapes come from what the graph declares when it declares one. ONNX Runtime reports outputs after its
    /// own shape inference, which can narrow a declared -1 to 1 or drop a declared rank altogether (an ML.NET
    /// one-hot output declared [-1, 4] comes back as []); the signature describes the graph's contract.
    /// </remarks>
    /// <exception cref="FormatException">ONNX Runtime cannot load the model.</exception>
    public static OnnxModelDescription Inspect(byte[] model)
    {
        OnnxModelProto header;
        try
        {
            header = OnnxModelProto.Parse(model);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Not an ONNX model: {e.Message}", e);
        }

        InferenceSession session;
        // ML.NET's exports make ONNX Runtime warn on stderr about shapes it merges leniently; a check that
        // succeeds should not print, and a failure is reported through the exception.
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        try
        {
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FormatException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }

        using (session)
        {
            var skipped = new List<string>();
            var declared = header.Inputs.Concat(header.Outputs).Where(v => v.Shape is not null).ToDictionary(v => v.Name, v => v.Shape!, StringComparer.Ordinal);
            var inputs = Specs(session.InputNames, session.InputMetadata, declared, skipped);
            var outputs = Specs(session.OutputNames, session.OutputMetadata, declared, skipped);
            return new OnnxModelDescription(new ModelSignature(inputs, outputs), header.IrVersion, header.Opset, header.ProducerName, skipped);
        }
    }

    // MLflow's tensor specs cannot describe sequences or maps (sklearn's ZipMap output, for one); those are
    // left out of the signature and named in NonTensorValues.
    private static ModelSchema Specs(
        IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata, Dictionary<string, IReadOnlyList<long>> declared, List<string> skipped)
    {
        var specs = new List<SchemaSpec>();
        foreach (var name in names)
        {
            var node = metadata[name];
            if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR || DType(node.ElementDataType) is not { } dtype)
            {
                skipped.Add(name);
                continue;
            }

            var shape = declared.TryGetValue(name, out var fromGraph) ? fromGraph : node.Dimensions.Select(d => d < 0 ? -1L : d).ToList();
            specs.Add(new TensorSpec(name, dtype, shape));
        }

        return new ModelSchema(specs);
    }

    private static string? DType(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Float16 => "float16",
        TensorElementType.Int8 => "int8",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "str",
        _ => null,
    };
}
