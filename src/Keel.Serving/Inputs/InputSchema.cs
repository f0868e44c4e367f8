namespace Keel.Serving.Inputs;

/// <summary>How the model wants a field's values in memory; the signature type says what a request may send.</summary>
internal enum ElementKind
{
    Float,
    Double,
    Int32,
    Int64,
    Bool,
    String,
}

/// <summary>
/// One input of the served model: a signature column (one value per row) or a tensor (a fixed block of
/// <see cref="ElementsPerRow"/> values per row, the first dimension being the batch).
/// </summary>
/// <param name="SignatureType">The MLflow column type or numpy dtype, used in messages and to check JSON values.</param>
/// <param name="RowShape">The tensor's dimensions after the batch dimension; empty for a column.</param>
internal sealed record InputField(string Name, string SignatureType, ElementKind Kind, bool Required, int[] RowShape)
{
    public int ElementsPerRow { get; } = RowShape.Aggregate(1, (a, b) => a * b);

    public bool IsTensor => RowShape.Length > 0;

    public bool IsIntegral => SignatureType is "integer" or "long" or "int8" or "int16" or "int32" or "int64" or "uint8" or "uint16" or "uint32" or "uint64";
}

/// <summary>The served model's inputs in order; tensor-based or column-based, as its signature is.</summary>
internal sealed class InputSchema
{
    private readonly Dictionary<string, int> _index;

    public InputSchema(IReadOnlyList<InputField> fields, bool isTensorBased)
    {
        Fields = fields;
        IsTensorBased = isTensorBased;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            _index[fields[i].Name] = i;
        }
    }

    public IReadOnlyList<InputField> Fields { get; }

    public bool IsTensorBased { get; }

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;
}
