namespace Keel.Client;

/// <summary>MLflow's column types, written in MLmodel by their lower-case names (<c>double</c>, <c>string</c>, ...).</summary>
public enum ColumnType
{
    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>32-bit signed integer.</summary>
    Integer,

    /// <summary>64-bit signed integer.</summary>
    Long,

    /// <summary>32-bit floating point.</summary>
    Float,

    /// <summary>64-bit floating point.</summary>
    Double,

    /// <summary>Text.</summary>
    String,

    /// <summary>Bytes, base64-encoded in JSON.</summary>
    Binary,

    /// <summary>A date and time.</summary>
    Datetime,
}

/// <summary>One input or output of a model: a <see cref="ColumnSpec"/> or a <see cref="TensorSpec"/>.</summary>
/// <param name="Name">The column's or tensor's name; null for positional (unnamed) entries.</param>
public abstract record SchemaSpec(string? Name);

/// <summary>A column of tabular input or output (MLflow's <c>ColSpec</c>).</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">The column's type.</param>
/// <param name="Required">Whether the model needs the column; optional columns may be left out.</param>
public sealed record ColumnSpec(string? Name, ColumnType Type, bool Required = true) : SchemaSpec(Name);

/// <summary>A tensor input or output (MLflow's <c>TensorSpec</c>).</summary>
/// <param name="Name">The tensor's name (an ONNX graph input or output name).</param>
/// <param name="DType">numpy's name for the element type: <c>float32</c>, <c>float64</c>, <c>int64</c>, <c>bool</c>, <c>str</c>, ...</param>
/// <param name="Shape">The shape, -1 for a dimension of any size (usually the batch).</param>
public sealed record TensorSpec(string? Name, string DType, IReadOnlyList<long> Shape) : SchemaSpec(Name)
{
    /// <inheritdoc/>
    public bool Equals(TensorSpec? other) =>
        other is not null && Name == other.Name && DType == other.DType && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, DType, Shape.Count);
}

/// <summary>
/// What a model takes and returns (MLflow's <c>ModelSignature</c>), stored in the package's MLmodel so
/// servers and clients can check requests before scoring. A schema holds columns or tensors, not both.
/// </summary>
public sealed class ModelSignature
{
    /// <summary>Creates a signature.</summary>
    /// <param name="inputs">The model's inputs: all columns or all tensors.</param>
    /// <param name="outputs">The model's outputs, if known: all columns or all tensors.</param>
    /// <exception cref="ArgumentException">A schema mixes columns and tensors, or named and unnamed entries.</exception>
    public ModelSignature(IReadOnlyList<SchemaSpec> inputs, IReadOnlyList<SchemaSpec>? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Check(inputs, nameof(inputs));
        if (outputs is not null)
        {
            Check(outputs, nameof(outputs));
        }

        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The model's inputs.</summary>
    public IReadOnlyList<SchemaSpec> Inputs { get; }

    /// <summary>The model's outputs; null if not declared.</summary>
    public IReadOnlyList<SchemaSpec>? Outputs { get; }

    private static void Check(IReadOnlyList<SchemaSpec> specs, string parameter)
    {
        if (specs.Select(s => s.GetType()).Distinct().Count() > 1)
        {
            throw new ArgumentException("A schema holds columns or tensors, not both.", parameter);
        }

        if (specs.Any(s => s.Name is null) && specs.Any(s => s.Name is not null))
        {
            throw new ArgumentException("Name every entry of a schema, or none.", parameter);
        }
    }
}
