using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Client.ML;

/// <summary>A column signature from an ML.NET model's input schema and what it adds to it.</summary>
internal static class MlNetSignature
{
    /// <summary>
    /// Inputs: the visible columns of <paramref name="inputSchema"/>; a column the model can do without (the
    /// label, say) is marked not required. Outputs: the scalar columns the model adds (PredictedLabel, Score,
    /// Probability, ...); intermediate vector columns are not outputs anyone scores against.
    /// </summary>
    public static ModelSignature Derive(ITransformer model, DataViewSchema inputSchema)
    {
        var columns = inputSchema.Where(c => !c.IsHidden).ToList();
        var inputs = columns
            .Select(c => (SchemaSpec)new ColumnSpec(c.Name, TypeOf(c) ?? throw Unsupported(c), IsRequired(model, inputSchema, c)))
            .ToList();
        var inputNames = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var outputs = model.GetOutputSchema(inputSchema)
            .Where(c => !c.IsHidden && !inputNames.Contains(c.Name) && TypeOf(c) is not null)
            .Select(c => (SchemaSpec)new ColumnSpec(c.Name, TypeOf(c)!.Value))
            .ToList();
        return new ModelSignature(inputs, outputs);
    }

    public static ModelInputExample Example(IDataView data, ModelSignature signature, int rows)
    {
        var names = signature.Inputs.OfType<ColumnSpec>().Select(c => c.Name).Where(n => n is not null && data.Schema.GetColumnOrNull(n) is not null).ToList();
        var columns = names.Select(n => data.Schema[n!]).ToList();
        var values = new List<IReadOnlyList<object?>>();
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select(c => Getter(cursor, c)).ToList();
        while (values.Count < rows && cursor.MoveNext())
        {
            values.Add([.. getters.Select(g => g())]);
        }

        return ModelInputExample.FromColumns([.. names.Select(n => n!)], values);
    }

    private static bool IsRequired(ITransformer model, DataViewSchema schema, DataViewSchema.Column column)
    {
        var without = new DataViewSchema.Builder();
        foreach (var other in schema.Where(c => c.Index != column.Index))
        {
            without.AddColumn(other.Name, other.Type, other.Annotations);
        }

        try
        {
            model.GetOutputSchema(without.ToSchema());
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static ColumnType? TypeOf(DataViewSchema.Column column) => column.Type switch
    {
        BooleanDataViewType => ColumnType.Boolean,
        TextDataViewType => ColumnType.String,
        DateTimeDataViewType => ColumnType.Datetime,
        NumberDataViewType n when n.RawType == typeof(float) => ColumnType.Float,
        NumberDataViewType n when n.RawType == typeof(double) => ColumnType.Double,
        NumberDataViewType n when n.RawType == typeof(long) || n.RawType == typeof(uint) || n.RawType == typeof(ulong) => ColumnType.Long,
        NumberDataViewType => ColumnType.Integer,
        _ => null,
    };

    private static NotSupportedException Unsupported(DataViewSchema.Column column) =>
        new($"Input column '{column.Name}' is {column.Type}, which has no MLflow column type; pass LogModelOptions.Signature.");

    private static Func<object?> Getter(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => Box<float>(cursor, column),
        var t when t == typeof(double) => Box<double>(cursor, column),
        var t when t == typeof(int) => Box<int>(cursor, column),
        var t when t == typeof(long) => Box<long>(cursor, column),
        var t when t == typeof(short) => Box<short>(cursor, column),
        var t when t == typeof(uint) => Box<uint>(cursor, column),
        var t when t == typeof(bool) => Box<bool>(cursor, column),
        var t when t == typeof(DateTime) => Box<DateTime>(cursor, column),
        var t when t == typeof(ReadOnlyMemory<char>) => Box<ReadOnlyMemory<char>>(cursor, column),
        _ => throw Unsupported(column),
    };

    private static Func<object?> Box<T>(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return value;
        };
    }
}
