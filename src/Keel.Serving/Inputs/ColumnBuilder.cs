using System.Globalization;
using System.Text.Json;

namespace Keel.Serving.Inputs;

/// <summary>Collects one input's values from a request, checking each against the signature type and the tensor shape.</summary>
internal sealed class ColumnBuilder(InputField input)
{
    private Array _values = Column.Allocate(input.Kind, Math.Max(input.ElementsPerRow, 8));
    private int _count;

    public InputField Field => input;

    public int Rows => _count / input.ElementsPerRow;

    public Column Build()
    {
        var values = _values.Length == _count ? _values : Shrink();
        return new Column(input.Name, input.Kind, input.RowShape, values, Rows);
    }

    public void AddDefaultRow()
    {
        for (var i = 0; i < input.ElementsPerRow; i++)
        {
            Reserve();
            _count++;
        }
    }

    /// <summary>One row of a tensor: nested JSON arrays of exactly the tensor's row shape.</summary>
    public void AddTensorRow(JsonElement row, string where)
    {
        if (!input.IsTensor)
        {
            AddValue(row, where);
            return;
        }

        AddNested(row, 0, where);
    }

    private void AddNested(JsonElement value, int dimension, string where)
    {
        if (dimension == input.RowShape.Length)
        {
            AddValue(value, where);
            return;
        }

        var expected = input.RowShape[dimension];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != expected)
        {
            throw new ScoringException(
                $"Input '{input.Name}' has the wrong shape at {where}: expected {Shape()} per row (batch dimension first: {FullShape()}), " +
                $"but dimension {dimension + 1} is {Describe(value)}.");
        }

        foreach (var item in value.EnumerateArray())
        {
            AddNested(item, dimension + 1, where);
        }
    }

    /// <summary>One scalar: a JSON value of the input's signature type (null only for an optional column).</summary>
    public void AddValue(JsonElement value, string where)
    {
        Reserve();
        if (value.ValueKind == JsonValueKind.Null && !input.Required)
        {
            _count++;
            return;
        }

        switch (input.Kind)
        {
            case ElementKind.String when value.ValueKind == JsonValueKind.String:
                ((string[])_values)[_count] = value.GetString()!;
                break;
            case ElementKind.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                ((bool[])_values)[_count] = value.GetBoolean();
                break;
            case ElementKind.Float or ElementKind.Double when value.ValueKind == JsonValueKind.Number && !input.IsIntegral:
                StoreNumber(value.GetDouble());
                break;
            case ElementKind.Float or ElementKind.Double or ElementKind.Int32 or ElementKind.Int64
                when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer):
                StoreInteger(integer, where);
                break;
            default:
                throw WrongType(Describe(value), where);
        }

        _count++;
    }

    /// <summary>One scalar from CSV text; an empty cell is a missing value.</summary>
    public void AddText(string text, string where)
    {
        Reserve();
        if (text.Length == 0 && (!input.Required || input.Kind == ElementKind.String))
        {
            _count++;
            return;
        }

        switch (input.Kind)
        {
            case ElementKind.String:
                ((string[])_values)[_count] = text;
                break;
            case ElementKind.Bool when bool.TryParse(text, out var flag):
                ((bool[])_values)[_count] = flag;
                break;
            case ElementKind.Bool when text is "0" or "1":
                ((bool[])_values)[_count] = text == "1";
                break;
            case ElementKind.Float or ElementKind.Double or ElementKind.Int32 or ElementKind.Int64
                when input.IsIntegral && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer):
                StoreInteger(integer, where);
                break;
            case ElementKind.Float or ElementKind.Double
                when !input.IsIntegral && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                StoreNumber(number);
                break;
            default:
                throw WrongType($"'{text}'", where);
        }

        _count++;
    }

    private void StoreNumber(double number)
    {
        if (input.Kind == ElementKind.Float)
        {
            ((float[])_values)[_count] = (float)number;
        }
        else
        {
            ((double[])_values)[_count] = number;
        }
    }

    private void StoreInteger(long integer, string where)
    {
        switch (input.Kind)
        {
            case ElementKind.Float:
                ((float[])_values)[_count] = integer;
                break;
            case ElementKind.Double:
                ((double[])_values)[_count] = integer;
                break;
            case ElementKind.Int64:
                ((long[])_values)[_count] = integer;
                break;
            case ElementKind.Int32 when integer is >= int.MinValue and <= int.MaxValue:
                ((int[])_values)[_count] = (int)integer;
                break;
            default:
                throw WrongType(integer.ToString(CultureInfo.InvariantCulture) + " (out of range)", where);
        }
    }

    private void Reserve()
    {
        if (_count < _values.Length)
        {
            return;
        }

        var larger = Column.Allocate(input.Kind, _values.Length * 2);
        Array.Copy(_values, larger, _count);
        _values = larger;
    }

    private Array Shrink()
    {
        var exact = Array.CreateInstance(_values.GetType().GetElementType()!, _count);
        Array.Copy(_values, exact, _count);
        return exact;
    }

    private ScoringException WrongType(string got, string where) =>
        new($"Input '{input.Name}' must be {input.SignatureType}{(input.Required ? "" : " or null")}, but {where} has {got}.");

    private string Shape() => "[" + string.Join(", ", input.RowShape) + "]";

    private string FullShape() => "[-1, " + string.Join(", ", input.RowShape) + "]";

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => $"an array of {value.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
