using System.Text;

namespace Keel.Formats;

/// <summary>An ONNX graph input or output: a tensor with an element type and a shape (-1 for a free dimension).</summary>
internal sealed record OnnxValue(string Name, int ElementType, IReadOnlyList<long>? Shape, bool IsTensor);

/// <summary>What an ONNX file says about itself, read without loading it into a runtime.</summary>
internal sealed record OnnxModelProto(
    long IrVersion,
    string ProducerName,
    string ProducerVersion,
    IReadOnlyDictionary<string, long> Opsets,
    IReadOnlyList<OnnxValue> Inputs,
    IReadOnlyList<OnnxValue> Outputs)
{
    /// <summary>The default (ai.onnx) operator set version, the one people mean by "opset".</summary>
    public long? Opset => Opsets.TryGetValue("", out var v) || Opsets.TryGetValue("ai.onnx", out v) ? v : null;

    /// <summary>numpy's name for an ONNX TensorProto element type, as MLflow's tensor specs spell it.</summary>
    public static string? NumpyDType(int elementType) => elementType switch
    {
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "str",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        _ => null,
    };

    /// <summary>
    /// Reads the header and the graph's inputs and outputs from a serialized ModelProto (onnx.proto field
    /// numbers). Weights are skipped, not decoded. Inputs that are also initializers (IR version &lt; 4 lists
    /// weights as inputs) are left out, as ONNX Runtime does.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a protobuf message shaped like an ONNX model.</exception>
    public static OnnxModelProto Parse(ReadOnlySpan<byte> model)
    {
        long irVersion = 0;
        string producer = "", producerVersion = "";
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        var inputs = new List<OnnxValue>();
        var outputs = new List<OnnxValue>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        var sawGraph = false;
        var reader = new ProtoReader(model);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 0: irVersion = (long)reader.Varint(); break;
                case 2 when wire == 2: producer = reader.String(); break;
                case 3 when wire == 2: producerVersion = reader.String(); break;
                case 7 when wire == 2:
                    sawGraph = true;
                    ReadGraph(reader.Bytes(), inputs, outputs, initializers);
                    break;
                case 8 when wire == 2:
                    var (domain, version) = ReadOpset(reader.Bytes());
                    opsets[domain] = version;
                    break;
                default: reader.Skip(wire); break;
            }
        }

        if (!sawGraph || irVersion <= 0)
        {
            throw new FormatException("Not an ONNX model: no ir_version or graph.");
        }

        return new OnnxModelProto(irVersion, producer, producerVersion, opsets, inputs.Where(i => !initializers.Contains(i.Name)).ToList(), outputs);
    }

    private static void ReadGraph(ReadOnlySpan<byte> graph, List<OnnxValue> inputs, List<OnnxValue> outputs, HashSet<string> initializers)
    {
        var reader = new ProtoReader(graph);
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 5 when wire == 2: initializers.Add(ReadTensorName(reader.Bytes())); break;
                case 11 when wire == 2: inputs.Add(ReadValueInfo(reader.Bytes())); break;
                case 12 when wire == 2: outputs.Add(ReadValueInfo(reader.Bytes())); break;
                default: reader.Skip(wire); break;
            }
        }
    }

    private static string ReadTensorName(ReadOnlySpan<byte> tensor)
    {
        var reader = new ProtoReader(tensor);
        var name = "";
        while (reader.Next(out var field, out var wire))
        {
            if (field == 8 && wire == 2)
            {
                name = reader.String();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return name;
    }

    private static (string Domain, long Version) ReadOpset(ReadOnlySpan<byte> opset)
    {
        var reader = new ProtoReader(opset);
        string domain = "";
        long version = 0;
        while (reader.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == 2: domain = reader.String(); break;
                case 2 when wire == 0: version = (long)reader.Varint(); break;
                default: reader.Skip(wire); break;
            }
        }

        return (domain, version);
    }

    private static OnnxValue ReadValueInfo(ReadOnlySpan<byte> valueInfo)
    {
        var reader = new ProtoReader(valueInfo);
        var name = "";
        var elementType = 0;
        IReadOnlyList<long>? shape = null;
        var isTensor = false;
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 2)
            {
                name = reader.String();
            }
            else if (field == 2 && wire == 2)
            {
                var type = new ProtoReader(reader.Bytes());
                while (type.Next(out var typeField, out var typeWire))
                {
                    if (typeField == 1 && typeWire == 2)
                    {
                        isTensor = true;
                        (elementType, shape) = ReadTensorType(type.Bytes());
                    }
                    else
                    {
                        type.Skip(typeWire);
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return new OnnxValue(name, elementType, shape, isTensor);
    }

    private static (int ElementType, IReadOnlyList<long>? Shape) ReadTensorType(ReadOnlySpan<byte> tensorType)
    {
        var reader = new ProtoReader(tensorType);
        var elementType = 0;
        List<long>? shape = null;
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 0)
            {
                elementType = (int)reader.Varint();
            }
            else if (field == 2 && wire == 2)
            {
                shape = [];
                var dims = new ProtoReader(reader.Bytes());
                while (dims.Next(out var dimField, out var dimWire))
                {
                    if (dimField == 1 && dimWire == 2)
                    {
                        shape.Add(ReadDimension(dims.Bytes()));
                    }
                    else
                    {
                        dims.Skip(dimWire);
                    }
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (elementType, shape);
    }

    // A dimension is a fixed dim_value or a symbolic dim_param; symbolic (or absent) means any size.
    private static long ReadDimension(ReadOnlySpan<byte> dimension)
    {
        var reader = new ProtoReader(dimension);
        long size = -1;
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == 0)
            {
                size = (long)reader.Varint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return size;
    }

    /// <summary>The protobuf wire format, just enough to walk a message.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= _data.Length)
            {
                field = wire = 0;
                return false;
            }

            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            if (field == 0)
            {
                throw new FormatException("Not a protobuf message: field number 0.");
            }

            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= _data.Length)
                {
                    throw new FormatException("Truncated protobuf varint.");
                }

                var b = _data[_position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("Malformed protobuf varint.");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = Varint();
            if (length > (ulong)(_data.Length - _position))
            {
                throw new FormatException("Truncated protobuf field.");
            }

            var slice = _data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: Advance(8); break;
                case 2: Bytes(); break;
                case 5: Advance(4); break;
                default: throw new FormatException($"Unsupported protobuf wire type {wire}.");
            }
        }

        private void Advance(int count)
        {
            if (_position + count > _data.Length)
            {
                throw new FormatException("Truncated protobuf field.");
            }

            _position += count;
        }
    }
}
