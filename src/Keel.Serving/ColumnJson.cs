using Keel.Serving.Inputs;
using System.Text.Json;

namespace Keel.Serving;

/// <summary>Writes one row of a column: a scalar, or nested arrays in the row's tensor shape.</summary>
internal static class ColumnJson
{
    public static void WriteRow(Utf8JsonWriter writer, Column column, int row)
    {
        var perRow = column.ElementsPerRow;
        var start = row * perRow;
        if (column.RowShape.Length == 0)
        {
            WriteElement(writer, column.Values, start);
            return;
        }

        WriteNested(writer, column, 0, ref start);
    }

    private static void WriteNested(Utf8JsonWriter writer, Column column, int dimension, ref int index)
    {
        writer.WriteStartArray();
        for (var i = 0; i < column.RowShape[dimension]; i++)
        {
            if (dimension == column.RowShape.Length - 1)
            {
                WriteElement(writer, column.Values, index++);
            }
            else
            {
                WriteNested(writer, column, dimension + 1, ref index);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, Array values, int index)
    {
        switch (values)
        {
            case float[] f:
                WriteNumber(writer, f[index]);
                break;
            case double[] d:
                WriteNumber(writer, d[index]);
                break;
            case int[] i:
                writer.WriteNumberValue(i[index]);
                break;
            case long[] l:
                writer.WriteNumberValue(l[index]);
                break;
            case bool[] b:
                writer.WriteBooleanValue(b[index]);
                break;
            case string[] s:
                writer.WriteStringValue(s[index]);
                break;
            default:
                throw new InvalidOperationException($"Unsupported array {values.GetType()}.");
        }
    }

    // JSON has no NaN or infinity; null says "no number" without breaking the client's parser.
    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
