using Keel.Core.Models;
using Keel.Serving.Inputs;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keel.Serving.Models;

/// <summary>An ONNX model run by ONNX Runtime. ML.NET's ONNX export takes each column as an [n, 1] tensor, which a column signature maps onto.</summary>
internal sealed class OnnxServedModel : ServedModel
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly string[] _inputNames;
    private readonly long[][] _inputRowDims;
    private readonly string[] _outputNames;
    private readonly string[] _outputLabels;
    private readonly bool _records;

    private OnnxServedModel(string name, long version, InputSchema inputs, InferenceSession session, long[][] inputRowDims,
        string[] outputNames, string[] outputLabels, bool records)
        : base(name, version, inputs)
    {
        _session = session;
        _inputNames = inputs.Fields.Select(f => f.Name).ToArray();
        _inputRowDims = inputRowDims;
        _outputNames = outputNames;
        _outputLabels = outputLabels;
        _records = records;
    }

    public override string Flavor => Flavors.Onnx;

    public override bool AnswersInRecords => _records;

    /// <exception cref="InvalidOperationException">The graph and the signature do not fit together, or an input type is not supported.</exception>
    public static OnnxServedModel Load(string file, string name, long version, ModelSignature? signature)
    {
        // Warnings (ML.NET's exports make ONNX Runtime merge shapes leniently) are noise in a server log;
        // a model that cannot load fails with an exception.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // One thread per call, no spinning: a batch of up to a few hundred rows is too small to split, and ONNX
        // Runtime's spinning pool would burn the cores that parse and answer requests.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var session = new InferenceSession(file, options);
        try
        {
            var graphInputs = session.InputMetadata;
            var specs = signature?.Inputs.Specs ?? graphInputs.Select(i => (SchemaSpec)new TensorSpec(i.Key, "", [-1, .. i.Value.Dimensions.Skip(1).Select(d => (long)d)])).ToList();
            var fields = new List<InputField>();
            var rowDims = new List<long[]>();
            foreach (var spec in specs)
            {
                var specName = spec.Name ?? throw new InvalidOperationException("The signature's inputs are unnamed; ONNX inputs are matched by name.");
                if (!graphInputs.TryGetValue(specName, out var meta))
                {
                    throw new InvalidOperationException($"The signature names input '{specName}', which the ONNX graph does not have (it has {string.Join(", ", graphInputs.Keys)}).");
                }

                var kind = KindOf(meta.ElementDataType, specName);
                var graphRow = meta.Dimensions.Skip(1).Select(d => (long)d).ToArray();
                if (spec is TensorSpec tensor)
                {
                    var row = tensor.Shape.Skip(1).Select(d => d > 0 ? (int)d : throw new InvalidOperationException(
                        $"Input '{specName}' has a free dimension after the batch dimension; only the first dimension may vary.")).ToArray();
                    if (graphRow.Any(d => d <= 0) && graphRow.Length != row.Length)
                    {
                        throw new InvalidOperationException($"Input '{specName}' has shape [{string.Join(", ", meta.Dimensions)}] in the graph.");
                    }

                    fields.Add(new InputField(specName, tensor.DType.Length > 0 ? tensor.DType : DTypeOf(kind), kind, true, row));
                    rowDims.Add(row.Select(d => (long)d).ToArray());
                }
                else
                {
                    var column = (ColumnSpec)spec;
                    if (graphRow.Aggregate(1L, (a, b) => a * Math.Max(b, 1)) != 1)
                    {
                        throw new InvalidOperationException($"Column '{specName}' feeds a graph input of shape [{string.Join(", ", meta.Dimensions)}]; a column needs one value per row.");
                    }

                    fields.Add(new InputField(specName, column.Type, kind, column.Required, []));
                    rowDims.Add(graphRow.Select(_ => 1L).ToArray());
                }
            }

            var missing = graphInputs.Keys.Where(k => !fields.Any(f => f.Name == k)).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"The ONNX graph needs inputs the signature does not name: {string.Join(", ", missing)}.");
            }

            var (outputNames, labels) = Outputs(session, signature);
            var records = signature?.Inputs.IsTensorBased == false;
            return new OnnxServedModel(name, version, new InputSchema(fields, specs.Count > 0 && specs[0] is TensorSpec), session,
                rowDims.ToArray(), outputNames, labels, records);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // ML.NET's export renames each column X to "X.output" and also passes every input through; the signature's
    // outputs say which ones the model answers with.
    private static (string[] Names, string[] Labels) Outputs(InferenceSession session, ModelSignature? signature)
    {
        var graph = session.OutputMetadata.Keys.ToList();
        var wanted = signature?.Outputs?.Specs.Select(s => s.Name).OfType<string>().ToList() ?? [];
        var names = new List<string>();
        var labels = new List<string>();
        foreach (var label in wanted)
        {
            var match = graph.FirstOrDefault(g => g == label + ".output") ?? graph.FirstOrDefault(g => g == label);
            if (match is not null && IsSupported(session.OutputMetadata[match]))
            {
                names.Add(match);
                labels.Add(label);
            }
        }

        if (names.Count == 0)
        {
            names.AddRange(graph.Where(g => IsSupported(session.OutputMetadata[g])));
            labels.AddRange(names);
        }

        return (names.ToArray(), labels.ToArray());
    }

    private static bool IsSupported(NodeMetadata meta) =>
        meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && TryKindOf(meta.ElementDataType, out _);

    public override Column[] Predict(InputBatch batch)
    {
        var values = new OrtValue[batch.Columns.Length];
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ToOrtValue(batch.Columns[i], batch.Rows, _inputRowDims[i]);
            }

            using var results = _session.Run(_run, _inputNames, values, _outputNames);
            var outputs = new List<Column>(_outputNames.Length);
            for (var i = 0; i < _outputNames.Length; i++)
            {
                if (FromOrtValue(results[i], _outputLabels[i], batch.Rows) is { } column)
                {
                    outputs.Add(column);
                }
            }

            return outputs.ToArray();
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    private static OrtValue ToOrtValue(Column column, int rows, long[] rowDims)
    {
        var shape = new long[rowDims.Length + 1];
        shape[0] = rows;
        rowDims.CopyTo(shape, 1);
        return column.Values switch
        {
            float[] f => OrtValue.CreateTensorValueFromMemory(f, shape),
            double[] d => OrtValue.CreateTensorValueFromMemory(d, shape),
            int[] i => OrtValue.CreateTensorValueFromMemory(i, shape),
            long[] l => OrtValue.CreateTensorValueFromMemory(l, shape),
            bool[] b => OrtValue.CreateTensorValueFromMemory(b, shape),
            string[] s => OrtValue.CreateFromStringTensor(new DenseTensor<string>(s, shape.Select(d => (int)d).ToArray())),
            _ => throw new InvalidOperationException($"Unsupported input array {column.Values.GetType()}."),
        };
    }

    // An output without one entry per input row (a constant, a pooled value) cannot be answered per row; it is left out.
    private static Column? FromOrtValue(OrtValue value, string label, int rows)
    {
        var info = value.GetTensorTypeAndShape();
        if (info.Shape.Length == 0 || info.Shape[0] != rows)
        {
            return null;
        }
        var rowShape = info.Shape.Skip(1).Select(d => (int)d).ToArray();
        // One value per row reads as a scalar per row, the way MLflow flattens an [n, 1] output into a column.
        if (rowShape.Aggregate(1, (a, b) => a * b) == 1)
        {
            rowShape = [];
        }

        var (kind, array) = info.ElementDataType switch
        {
            TensorElementType.Float => (ElementKind.Float, (Array)value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Double => (ElementKind.Double, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int32 => (ElementKind.Int32, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.Int64 => (ElementKind.Int64, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.Bool => (ElementKind.Bool, value.GetTensorDataAsSpan<bool>().ToArray()),
            TensorElementType.String => (ElementKind.String, value.GetStringTensorAsArray()),
            var other => throw new InvalidOperationException($"Output '{label}' has element type {other}."),
        };
        return new Column(label, kind, rowShape, array, rows);
    }

    private static ElementKind KindOf(TensorElementType type, string name) =>
        TryKindOf(type, out var kind) ? kind : throw new InvalidOperationException($"Input '{name}' has ONNX element type {type}, which Keel cannot feed yet.");

    private static bool TryKindOf(TensorElementType type, out ElementKind kind)
    {
        (var ok, kind) = type switch
        {
            TensorElementType.Float => (true, ElementKind.Float),
            TensorElementType.Double => (true, ElementKind.Double),
            TensorElementType.Int32 => (true, ElementKind.Int32),
            TensorElementType.Int64 => (true, ElementKind.Int64),
            TensorElementType.Bool => (true, ElementKind.Bool),
            TensorElementType.String => (true, ElementKind.String),
            _ => (false, ElementKind.Float),
        };
        return ok;
    }

    private static string DTypeOf(ElementKind kind) => kind switch
    {
        ElementKind.Float => "float32",
        ElementKind.Double => "float64",
        ElementKind.Int32 => "int32",
        ElementKind.Int64 => "int64",
        ElementKind.Bool => "bool",
        _ => "str",
    };

    public override void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }
}
