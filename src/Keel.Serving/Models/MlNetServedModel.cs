using Keel.Core.Models;
using Keel.Serving.Inputs;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Serving.Models;

/// <summary>
/// An ML.NET model zip (Keel's <c>mlnet</c> flavor). Each batch becomes a <see cref="DataFrame"/>, ML.NET's IDataView
/// built from columns at run time, so no .NET class of the model's row has to exist in this process.
/// </summary>
internal sealed class MlNetServedModel : ServedModel
{
    private readonly ITransformer _model;
    private readonly string[] _outputs;

    private MlNetServedModel(string name, long version, InputSchema inputs, ITransformer model, string[] outputs)
        : base(name, version, inputs)
    {
        _model = model;
        _outputs = outputs;
    }

    public override string Flavor => Flavors.MlNet;

    public override bool AnswersInRecords => true;

    /// <exception cref="InvalidOperationException">The signature is missing or names a column the model cannot take.</exception>
    public static MlNetServedModel Load(string file, string name, long version, ModelSignature? signature)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(file, out var schema);
        if (signature is null || signature.Inputs.IsTensorBased)
        {
            throw new InvalidOperationException("An mlnet model needs a column signature to be served; log it with Keel.Client.ML, which writes one.");
        }

        var fields = signature.Inputs.Specs.Cast<ColumnSpec>().Select(c =>
        {
            var columnName = c.Name ?? throw new InvalidOperationException("The signature's columns are unnamed.");
            var column = schema.GetColumnOrNull(columnName) ?? throw new InvalidOperationException($"The signature names column '{columnName}', which the model's input schema does not have.");
            return new InputField(columnName, c.Type, KindOf(column), c.Required, []);
        }).ToList();

        var outputSchema = model.GetOutputSchema(schema);
        var outputs = (signature.Outputs?.Specs.Select(s => s.Name).OfType<string>() ?? ["PredictedLabel", "Score", "Probability"])
            .Where(n => outputSchema.GetColumnOrNull(n) is { } c && TryKindOf(c.Type, out _))
            .ToArray();
        return new MlNetServedModel(name, version, new InputSchema(fields, isTensorBased: false), model, outputs);
    }

    public override Column[] Predict(InputBatch batch)
    {
        var frame = new DataFrame(batch.Columns.Select(ToFrameColumn));
        var scored = _model.Transform(frame);
        var columns = _outputs.Select(n => scored.Schema[n]).ToArray();
        var readers = columns.Select(c => Reader(c, batch.Rows)).ToArray();
        using var cursor = scored.GetRowCursor(columns);
        var readRows = readers.Select(r => r.Bind(cursor)).ToArray();
        var row = 0;
        while (cursor.MoveNext())
        {
            foreach (var read in readRows)
            {
                read(row);
            }

            row++;
        }

        return readers.Select(r => r.Column).ToArray();
    }

    private static DataFrameColumn ToFrameColumn(Column column) => column.Values switch
    {
        float[] f => new PrimitiveDataFrameColumn<float>(column.Name, f),
        double[] d => new PrimitiveDataFrameColumn<double>(column.Name, d),
        int[] i => new PrimitiveDataFrameColumn<int>(column.Name, i),
        long[] l => new PrimitiveDataFrameColumn<long>(column.Name, l),
        bool[] b => new BooleanDataFrameColumn(column.Name, b),
        string[] s => new StringDataFrameColumn(column.Name, s),
        _ => throw new InvalidOperationException($"Unsupported input array {column.Values.GetType()}."),
    };

    private static OutputReader Reader(DataViewSchema.Column column, int rows)
    {
        TryKindOf(column.Type, out var kind);
        return new OutputReader(column, kind, rows);
    }

    private sealed class OutputReader(DataViewSchema.Column schemaColumn, ElementKind kind, int rows)
    {
        public Column Column { get; } = new(schemaColumn.Name, kind, [], Column.Allocate(kind, rows), rows);

        public Action<int> Bind(DataViewRowCursor cursor)
        {
            switch (Column.Values)
            {
                case float[] f:
                {
                    var get = cursor.GetGetter<float>(schemaColumn);
                    return row => get(ref f[row]);
                }

                case double[] d:
                {
                    var get = cursor.GetGetter<double>(schemaColumn);
                    return row => get(ref d[row]);
                }

                case bool[] b:
                {
                    var get = cursor.GetGetter<bool>(schemaColumn);
                    return row => get(ref b[row]);
                }

                case int[] i:
                {
                    var get = cursor.GetGetter<int>(schemaColumn);
                    return row => get(ref i[row]);
                }

                case long[] l:
                {
                    var get = cursor.GetGetter<long>(schemaColumn);
                    return row => get(ref l[row]);
                }

                case string[] s:
                {
                    var get = cursor.GetGetter<ReadOnlyMemory<char>>(schemaColumn);
                    var text = default(ReadOnlyMemory<char>);
                    return row =>
                    {
                        get(ref text);
                        s[row] = text.ToString();
                    };
                }

                default:
                    throw new InvalidOperationException($"Unsupported output {schemaColumn.Name}.");
            }
        }
    }

    private static ElementKind KindOf(DataViewSchema.Column column) =>
        TryKindOf(column.Type, out var kind) ? kind : throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, which Keel cannot feed yet.");

    private static bool TryKindOf(DataViewType type, out ElementKind kind)
    {
        (var ok, kind) = type switch
        {
            NumberDataViewType n when n.RawType == typeof(float) => (true, ElementKind.Float),
            NumberDataViewType n when n.RawType == typeof(double) => (true, ElementKind.Double),
            NumberDataViewType n when n.RawType == typeof(int) => (true, ElementKind.Int32),
            NumberDataViewType n when n.RawType == typeof(long) => (true, ElementKind.Int64),
            BooleanDataViewType => (true, ElementKind.Bool),
            TextDataViewType => (true, ElementKind.String),
            _ => (false, ElementKind.Float),
        };
        return ok;
    }

    public override void Dispose() => (_model as IDisposable)?.Dispose();
}
