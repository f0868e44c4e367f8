using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Keel.Client;

/// <summary>
/// A few rows of valid model input, saved in the package as MLflow saves examples: columns as pandas
/// "split" JSON (<c>{"columns": [...], "data": [[...]]}</c>), tensors as TF-serving JSON
/// (<c>{"inputs": {"name": [[...]]}}</c>), plus a ready-to-send scoring request (<c>serving_input_example.json</c>).
/// </summary>
public sealed class ModelInputExample
{
    private ModelInputExample(bool isTensor, Action<Utf8JsonWriter> writeData)
    {
        IsTensor = isTensor;
        WriteData = writeData;
    }

    internal bool IsTensor { get; }

    internal Action<Utf8JsonWriter> WriteData { get; }

    /// <summary>Rows of named columns.</summary>
    /// <param name="columns">The column names.</param>
    /// <param name="rows">The rows, one value per column: null, bool, string, numbers, <see cref="DateTime"/> or byte arrays (written as base64).</param>
    /// <returns>The example.</returns>
    /// <exception cref="ArgumentException">A row does not have one value per column.</exception>
    public static ModelInputExample FromColumns(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var data = rows.ToList();
        if (data.FirstOrDefault(r => r.Count != columns.Count) is { } bad)
        {
            throw new ArgumentException($"Every row needs {columns.Count} values; one has {bad.Count}.", nameof(rows));
        }

        return new ModelInputExample(isTensor: false, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("columns");
            foreach (var column in columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            foreach (var row in data)
            {
                writer.WriteStartArray();
                foreach (var value in row)
                {
                    WriteValue(writer, value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Named tensors, such as the inputs of an ONNX graph.</summary>
    /// <param name="tensors">Input name → values, a rectangular array of any rank (<c>float[,]</c> for a batch of rows).</param>
    /// <returns>The example.</returns>
    public static ModelInputExample FromTensors(IReadOnlyDictionary<string, Array> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var copy = tensors.ToList();
        return new ModelInputExample(isTensor: true, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("inputs");
            foreach (var (name, values) in copy)
            {
                writer.WritePropertyName(name);
                WriteArray(writer, values, new int[values.Rank], 0);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    internal string ToJson() => Write(WriteData);

    // MLflow's scoring protocol: dataframe_split for columns, inputs for tensors.
    internal string ToServingJson() => Write(writer =>
    {
        if (IsTensor)
        {
            WriteData(writer);
            return;
        }

        writer.WriteStartObject();
        writer.WritePropertyName("dataframe_split");
        WriteData(writer);
        writer.WriteEndObject();
    });

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteArray(Utf8JsonWriter writer, Array values, int[] index, int dimension)
    {
        writer.WriteStartArray();
        for (var i = 0; i < values.GetLength(dimension); i++)
        {
            index[dimension] = i;
            if (dimension == values.Rank - 1)
            {
                WriteValue(writer, values.GetValue(index));
            }
            else
            {
                WriteArray(writer, values, index, dimension + 1);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case ReadOnlyMemory<char> text:
                writer.WriteStringValue(text.Span);
                break;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                break;
            case DateTime time:
                writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                break;
            // pandas writes NaN as null; JSON has no NaN.
            case float f when !float.IsFinite(f):
            case double d when !double.IsFinite(d):
                writer.WriteNullValue();
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            default:
                throw new ArgumentException($"Input example values must be null, bool, string, numbers, DateTime or byte[]; got {value.GetType().Name}.");
        }
    }
}
