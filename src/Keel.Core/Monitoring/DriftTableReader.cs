using System.Globalization;
using System.Text;
using Keel.Tables;
using Parquet;
using Parquet.Schema;

namespace Keel.Core.Monitoring;

/// <summary>
/// Reads a CSV (RFC 4180, header row, UTF-8) or Parquet file into a <see cref="DriftTable"/>. Parquet numeric columns
/// stay numbers; everything else is text. The format comes from the extension.
/// </summary>
internal static class DriftTableReader
{
    public static async Task<DriftTable> ReadAsync(string path, CancellationToken ct)
    {
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".parquet" => await ReadParquetAsync(path, ct),
            _ => throw new FormatException($"{path}: not a table keel can read; use a .csv or .parquet file."),
        };
    }

    private static DriftTable ReadCsv(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var record = new CsvRecord();
        if (!record.Read(reader))
        {
            throw new FormatException($"{path}: the file is empty; a CSV needs a header row.");
        }

        var header = Enumerable.Range(0, record.Count).Select(i => record.Field(i).ToString()).ToArray();
        var duplicate = header.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"{path}: the header names column '{duplicate.Key}' twice.");
        }

        var columns = header.Select(name => new TableColumnBuilder(name)).ToArray();
        long rows = 0;
        for (var line = 2; record.Read(reader); line++)
        {
            if (record.Count == 1 && record.Field(0).IsEmpty)
            {
                continue;
            }

            if (record.Count != header.Length)
            {
                throw new FormatException($"{path}: record {line} has {record.Count} fields, the header has {header.Length}.");
            }

            rows++;
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Add(record.Field(i));
            }
        }

        return new DriftTable(rows, columns.Select(c => c.Build()).ToArray());
    }

    /// <summary>
    /// One RFC 4180 record at a time (quoted fields may hold commas, doubled quotes and line breaks), its fields kept
    /// in one reused buffer so reading allocates nothing per field.
    /// </summary>
    private sealed class CsvRecord
    {
        private readonly List<(int Start, int Length)> _fields = [];
        private char[] _chars = new char[1024];
        private int _length;

        public int Count => _fields.Count;

        public ReadOnlySpan<char> Field(int index) => _chars.AsSpan(_fields[index].Start, _fields[index].Length);

        /// <summary>False at the end of the file.</summary>
        public bool Read(TextReader reader)
        {
            _fields.Clear();
            _length = 0;
            var c = reader.Read();
            if (c < 0)
            {
                return false;
            }

            var start = 0;
            var quoted = false;
            var fieldHasText = false;
            for (; c >= 0 && (quoted || c != '\n'); c = reader.Read())
            {
                if (quoted && c == '"' && reader.Peek() == '"')
                {
                    reader.Read();
                    Append('"');
                }
                else if (c == '"' && (quoted || !fieldHasText))
                {
                    quoted = !quoted;
                }
                else if (!quoted && c == ',')
                {
                    _fields.Add((start, _length - start));
                    start = _length;
                    fieldHasText = false;
                    continue;
                }
                else if (quoted || c != '\r')
                {
                    Append((char)c);
                }

                fieldHasText = true;
            }

            _fields.Add((start, _length - start));
            return true;
        }

        private void Append(char c)
        {
            if (_length == _chars.Length)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
            }

            _chars[_length++] = c;
        }
    }

    private static async Task<DriftTable> ReadParquetAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct);
        // Flat columns only: a repeated field has no single value per row to compare.
        var fields = reader.Schema.GetDataFields().Where(f => !f.IsArray).ToArray();
        var rows = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }

        var columns = new List<TableColumn>();
        foreach (var field in fields)
        {
            var numeric = IsNumeric(field);
            var numbers = numeric ? new double[rows] : [];
            var text = numeric ? null : new TableColumnBuilder(field.Name);
            var offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                if (numeric)
                {
                    await ReadNumbersAsync(group, field, numbers.AsMemory(offset, count), ct);
                }
                else
                {
                    foreach (var value in await ReadTextAsync(group, field, count, ct))
                    {
                        text!.Add(value);
                    }
                }

                offset += count;
            }

            columns.Add(text?.Build() ?? new TableColumn(field.Name, numbers, null, []));
        }

        return new DriftTable(rows, columns);
    }

    private static Task ReadNumbersAsync(ParquetRowGroupReader group, DataField field, Memory<double> target, CancellationToken ct) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType) switch
        {
            TypeCode.SByte => ReadNumbersAsync<sbyte>(group, field, target, ct),
            TypeCode.Byte => ReadNumbersAsync<byte>(group, field, target, ct),
            TypeCode.Int16 => ReadNumbersAsync<short>(group, field, target, ct),
            TypeCode.UInt16 => ReadNumbersAsync<ushort>(group, field, target, ct),
            TypeCode.Int32 => ReadNumbersAsync<int>(group, field, target, ct),
            TypeCode.UInt32 => ReadNumbersAsync<uint>(group, field, target, ct),
            TypeCode.Int64 => ReadNumbersAsync<long>(group, field, target, ct),
            TypeCode.UInt64 => ReadNumbersAsync<ulong>(group, field, target, ct),
            TypeCode.Single => ReadNumbersAsync<float>(group, field, target, ct),
            TypeCode.Decimal => ReadNumbersAsync<decimal>(group, field, target, ct),
            _ => ReadNumbersAsync<double>(group, field, target, ct),
        };

    private static async Task ReadNumbersAsync<T>(ParquetRowGroupReader group, DataField field, Memory<double> target, CancellationToken ct)
        where T : struct, IConvertible
    {
        var values = await ParquetValues.ReadAsync<T>(group, field, target.Length, ct);
        for (var i = 0; i < values.Length; i++)
        {
            target.Span[i] = values[i] is { } v ? v.ToDouble(CultureInfo.InvariantCulture) : double.NaN;
        }
    }

    private static bool IsNumeric(DataField field) =>
        Type.GetTypeCode(Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType) is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16
            or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal;

    private static async Task<string?[]> ReadTextAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory(), null, ct);
            return strings;
        }

        if (type == typeof(bool))
        {
            var flags = await ParquetValues.ReadAsync<bool>(group, field, rows, ct);
            return flags.Select(b => b is { } v ? (v ? "true" : "false") : null).ToArray();
        }

        if (type == typeof(DateTime))
        {
            var times = await ParquetValues.ReadAsync<DateTime>(group, field, rows, ct);
            return times.Select(t => t?.ToString("O", CultureInfo.InvariantCulture)).ToArray();
        }

        // Other logical types (dates, intervals) have no drift test yet; they read as missing rather than fail.
        return new string?[rows];
    }
}
