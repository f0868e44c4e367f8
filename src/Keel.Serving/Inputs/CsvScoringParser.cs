using System.Text;

namespace Keel.Serving.Inputs;

/// <summary><c>text/csv</c>, as MLflow reads it with pandas: a header row naming the columns, then one line per row.</summary>
internal static class CsvScoringParser
{
    public static InputBatch Parse(ReadOnlyMemory<byte> body, InputSchema schema)
    {
        if (schema.IsTensorBased)
        {
            throw new ScoringException($"Invalid input. The model takes tensors ({JsonScoringParser.Names(schema)}); CSV carries columns only. Send JSON 'inputs'.");
        }

        // Spreadsheet exports start with a byte-order mark, which would otherwise become part of the first column's name.
        var text = Encoding.UTF8.GetString(body.Span).TrimStart('\uFEFF');
        var position = 0;
        var header = ReadLine(text, ref position) ?? throw new ScoringException("Invalid input. The CSV body is empty; it needs a header row.");
        var map = new int[header.Count];
        for (var i = 0; i < header.Count; i++)
        {
            map[i] = schema.IndexOf(header[i]);
            if (map[i] < 0)
            {
                throw new ScoringException($"Unknown input '{header[i]}' in the CSV header; the model signature takes {JsonScoringParser.Names(schema)}.");
            }
        }

        var builders = JsonScoringParser.Builders(schema);
        var row = 0;
        while (ReadLine(text, ref position) is { } cells)
        {
            if (cells.Count == 1 && cells[0].Length == 0)
            {
                continue;
            }

            if (cells.Count != map.Length)
            {
                throw new ScoringException($"Invalid input. CSV row {row} has {cells.Count} values but the header names {map.Length} columns.");
            }

            for (var i = 0; i < cells.Count; i++)
            {
                builders[map[i]].AddText(cells[i], $"CSV row {row}");
            }

            row++;
        }

        return JsonScoringParser.Complete(schema, builders);
    }

    // RFC 4180: fields may be quoted, quotes doubled inside; a quoted field may span lines.
    private static List<string>? ReadLine(string text, ref int position)
    {
        if (position >= text.Length)
        {
            return null;
        }

        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        while (position < text.Length)
        {
            var c = text[position++];
            if (quoted)
            {
                if (c == '"' && position < text.Length && text[position] == '"')
                {
                    cell.Append('"');
                    position++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                break;
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
