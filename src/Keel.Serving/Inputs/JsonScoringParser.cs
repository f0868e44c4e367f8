using System.Text.Json;

namespace Keel.Serving.Inputs;

/// <summary>
/// MLflow's JSON scoring formats: <c>dataframe_split</c>, <c>dataframe_records</c>, <c>instances</c> and <c>inputs</c>,
/// read into one column per model input and checked against the signature as they are read.
/// </summary>
internal static class JsonScoringParser
{
    public const string Formats = "'dataframe_split', 'dataframe_records', 'instances', 'inputs'";

    public static InputBatch Parse(ReadOnlyMemory<byte> body, InputSchema schema)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new ScoringException($"Invalid input. The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScoringException($"Invalid input. The body must be a JSON object with one of the keys {Formats}.");
            }

            string? format = null;
            JsonElement payload = default;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is "dataframe_split" or "dataframe_records" or "instances" or "inputs")
                {
                    if (format is not null)
                    {
                        throw new ScoringException($"Invalid input. The body has both '{format}' and '{property.Name}'; send exactly one of {Formats}.");
                    }

                    format = property.Name;
                    payload = property.Value;
                }
                else if (property.Name != "params")
                {
                    throw new ScoringException($"Invalid input. Unknown key '{property.Name}'; send exactly one of {Formats} (and optionally 'params').");
                }
            }

            var builders = Builders(schema);
            switch (format)
            {
                case "dataframe_split":
                    RequireColumns(schema, format);
                    ReadSplit(payload, schema, builders);
                    break;
                case "dataframe_records":
                    RequireColumns(schema, format);
                    ReadRecords(payload, schema, builders, format);
                    break;
                case "instances" or "inputs":
                    ReadTensorsOrRecords(payload, schema, builders, format);
                    break;
                default:
                    throw new ScoringException($"Invalid input. The body must have one of the keys {Formats}.");
            }

            return Complete(schema, builders);
        }
    }

    public static ColumnBuilder[] Builders(InputSchema schema)
    {
        var builders = new ColumnBuilder[schema.Fields.Count];
        for (var i = 0; i < builders.Length; i++)
        {
            builders[i] = new ColumnBuilder(schema.Fields[i]);
        }

        return builders;
    }

    /// <summary>Fills optional fields nobody sent with defaults, refuses missing required ones, and checks row counts agree.</summary>
    public static InputBatch Complete(InputSchema schema, ColumnBuilder[] builders)
    {
        var rows = 0;
        foreach (var builder in builders)
        {
            rows = Math.Max(rows, builder.Rows);
        }

        if (rows == 0)
        {
            throw new ScoringException("Invalid input. The request has no rows to score.");
        }

        var columns = new Column[builders.Length];
        for (var i = 0; i < builders.Length; i++)
        {
            var builder = builders[i];
            if (builder.Rows == 0)
            {
                if (builder.Field.Required)
                {
                    throw new ScoringException($"Missing required input '{builder.Field.Name}' ({builder.Field.SignatureType}); the model signature requires it.");
                }

                for (var r = 0; r < rows; r++)
                {
                    builder.AddDefaultRow();
                }
            }
            else if (builder.Rows != rows)
            {
                throw new ScoringException($"Input '{builder.Field.Name}' has {builder.Rows} rows but other inputs have {rows}; all inputs need the same number of rows.");
            }

            columns[i] = builder.Build();
        }

        return new InputBatch(columns, rows);
    }

    private static void RequireColumns(InputSchema schema, string format)
    {
        if (schema.IsTensorBased)
        {
            throw new ScoringException($"Invalid input. The model takes tensors ({Names(schema)}); send them as 'inputs' or 'instances', not '{format}'.");
        }
    }

    private static void ReadSplit(JsonElement split, InputSchema schema, ColumnBuilder[] builders)
    {
        if (split.ValueKind != JsonValueKind.Object || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new ScoringException("Invalid input. 'dataframe_split' must be an object with 'columns' and 'data' (a list of rows).");
        }

        int[] map;
        if (split.TryGetProperty("columns", out var columns))
        {
            if (columns.ValueKind != JsonValueKind.Array)
            {
                throw new ScoringException("Invalid input. 'dataframe_split.columns' must be a list of column names.");
            }

            map = new int[columns.GetArrayLength()];
            var i = 0;
            foreach (var column in columns.EnumerateArray())
            {
                map[i++] = FieldIndex(schema, column.ValueKind == JsonValueKind.String ? column.GetString()! : column.GetRawText(), "dataframe_split.columns");
            }
        }
        else
        {
            // Without names, columns are the signature's, in order, as MLflow reads an unnamed frame.
            map = Enumerable.Range(0, schema.Fields.Count).ToArray();
        }

        var row = 0;
        foreach (var values in data.EnumerateArray())
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != map.Length)
            {
                throw new ScoringException($"Invalid input. dataframe_split.data[{row}] must be a list of {map.Length} values, one per column.");
            }

            var c = 0;
            foreach (var value in values.EnumerateArray())
            {
                builders[map[c]].AddValue(value, $"row {row}");
                c++;
            }

            row++;
        }
    }

    private static void ReadRecords(JsonElement records, InputSchema schema, ColumnBuilder[] builders, string format)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            throw new ScoringException($"Invalid input. '{format}' must be a list of records (objects of column name to value).");
        }

        var seen = new bool[builders.Length];
        var row = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw new ScoringException($"Invalid input. {format}[{row}] must be an object of column name to value.");
            }

            Array.Clear(seen);
            foreach (var property in record.EnumerateObject())
            {
                var index = FieldIndex(schema, property.Name, $"{format}[{row}]");
                if (seen[index])
                {
                    throw new ScoringException($"Invalid input. {format}[{row}] names '{property.Name}' twice.");
                }

                seen[index] = true;
                builders[index].AddTensorRow(property.Value, $"row {row}");
            }

            for (var i = 0; i < builders.Length; i++)
            {
                if (!seen[i])
                {
                    if (builders[i].Field.Required)
                    {
                        throw new ScoringException($"Missing required input '{builders[i].Field.Name}' in {format}[{row}].");
                    }

                    builders[i].AddDefaultRow();
                }
            }

            row++;
        }
    }

    // instances/inputs: a list of records, a dict of field -> list of rows, or, for a model with one input, the list of rows itself.
    private static void ReadTensorsOrRecords(JsonElement payload, InputSchema schema, ColumnBuilder[] builders, string format)
    {
        switch (payload.ValueKind)
        {
            case JsonValueKind.Array when payload.GetArrayLength() > 0 && payload[0].ValueKind == JsonValueKind.Object:
                ReadRecords(payload, schema, builders, format);
                break;
            case JsonValueKind.Array when builders.Length == 1:
                ReadRows(payload, builders[0], format);
                break;
            case JsonValueKind.Array:
                throw new ScoringException($"Invalid input. The model has several inputs ({Names(schema)}); send '{format}' as an object of input name to values, or as a list of records.");
            case JsonValueKind.Object:
                foreach (var property in payload.EnumerateObject())
                {
                    var builder = builders[FieldIndex(schema, property.Name, format)];
                    if (builder.Rows > 0)
                    {
                        throw new ScoringException($"Invalid input. '{format}' names '{property.Name}' twice.");
                    }

                    ReadRows(property.Value, builder, $"{format}.{property.Name}");
                }

                break;
            default:
                throw new ScoringException($"Invalid input. '{format}' must be a list or an object of input name to values.");
        }
    }

    private static void ReadRows(JsonElement rows, ColumnBuilder builder, string where)
    {
        if (rows.ValueKind != JsonValueKind.Array)
        {
            throw new ScoringException($"Input '{builder.Field.Name}' must be a list with one entry per row, but {where} is not a list.");
        }

        var row = 0;
        foreach (var value in rows.EnumerateArray())
        {
            builder.AddTensorRow(value, $"{where}[{row}]");
            row++;
        }
    }

    private static int FieldIndex(InputSchema schema, string name, string where)
    {
        var index = schema.IndexOf(name);
        return index >= 0
            ? index
            : throw new ScoringException($"Unknown input '{name}' in {where}; the model signature takes {Names(schema)}.");
    }

    public static string Names(InputSchema schema) => string.Join(", ", schema.Fields.Select(f => $"'{f.Name}' ({f.SignatureType})"));
}
