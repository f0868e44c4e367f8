namespace Keel.Serving.Inputs;

/// <summary>
/// One field's values for a batch of rows, in a typed array (<c>float[]</c>, <c>long[]</c>, <c>string[]</c>, ...):
/// <c>Rows * ElementsPerRow</c> of them, row after row.
/// </summary>
internal sealed class Column(string name, ElementKind kind, int[] rowShape, Array values, int rows)
{
    public string Name { get; } = name;

    public ElementKind Kind { get; } = kind;

    public int[] RowShape { get; } = rowShape;

    public Array Values { get; } = values;

    public int Rows { get; } = rows;

    public int ElementsPerRow { get; } = rowShape.Aggregate(1, (a, b) => a * b);

    public static Array Allocate(ElementKind kind, int length) => kind switch
    {
        ElementKind.Float => new float[length],
        ElementKind.Double => new double[length],
        ElementKind.Int32 => new int[length],
        ElementKind.Int64 => new long[length],
        ElementKind.Bool => new bool[length],
        ElementKind.String => Fill(new string[length]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string[] Fill(string[] values)
    {
        Array.Fill(values, "");
        return values;
    }

    /// <summary>Joins the same field of several batches, in order, into one column.</summary>
    public static Column Concat(IReadOnlyList<Column> parts)
    {
        var first = parts[0];
        var rows = 0;
        var length = 0;
        foreach (var part in parts)
        {
            rows += part.Rows;
            length += part.Values.Length;
        }

        var values = Array.CreateInstance(first.Values.GetType().GetElementType()!, length);
        var offset = 0;
        foreach (var part in parts)
        {
            Array.Copy(part.Values, 0, values, offset, part.Values.Length);
            offset += part.Values.Length;
        }

        return new Column(first.Name, first.Kind, first.RowShape, values, rows);
    }
}

/// <summary>The inputs of one request (or of several coalesced ones): a column per field of the schema, same row count.</summary>
internal sealed class InputBatch(Column[] columns, int rows)
{
    public Column[] Columns { get; } = columns;

    public int Rows { get; } = rows;

    /// <summary>The batches' rows one after another, in one batch; all were parsed against the same schema.</summary>
    public static InputBatch Concat<T>(List<T> items, Func<T, InputBatch> input, int rows)
    {
        if (items.Count == 1)
        {
            return input(items[0]);
        }

        var columns = new Column[input(items[0]).Columns.Length];
        var parts = new Column[items.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            for (var b = 0; b < items.Count; b++)
            {
                parts[b] = input(items[b]).Columns[c];
            }

            columns[c] = Column.Concat(parts);
        }

        return new InputBatch(columns, rows);
    }
}
