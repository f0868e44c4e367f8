using System.Globalization;
using System.Text;
using Keel.Tables;
using Parquet;
using Parquet.Schema;

namespace Keel.Client.Data;

/// <summary>
/// Profiles CSV and Parquet files in one pass per file. Numeric values are kept (8 bytes each) because histogram bins
/// need the range first; value counts are kept exactly up to <see cref="ExactBound"/> distinct values, after which the
/// distinct count comes from a k-minimum-values sketch and top values from the counts gathered so far.
/// </summary>
internal static class TableProfiler
{
    internal const int ExactBound = 10_000;
    internal const int Bins = 10;
    private const int TopCount = 10;

    public static bool IsTable(string path) => Format(path) is not null;

    private static string? Format(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".parquet" => "parquet",
        _ => null,
    };

    public static async Task<TableProfile> ProfileAsync(string fullPath, string path, CancellationToken ct) =>
        Format(path) == "parquet" ? await ProfileParquetAsync(fullPath, path, ct).ConfigureAwait(false) : ProfileCsv(fullPath, path);

    internal static TableProfile ProfileCsv(string fullPath, string path)
    {
        using var reader = new StreamReader(fullPath, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = ReadRecord(reader);
        if (header is null)
        {
            return new TableProfile { Path = path, Format = "csv" };
        }

        var columns = header.Select(_ => new ColumnAccumulator(null)).ToArray();
        long rows = 0;
        while (ReadRecord(reader) is { } record)
        {
            if (record.Count == 1 && record[0].Length == 0)
            {
                continue;
            }

            rows++;
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].Add(i < record.Count && record[i].Length > 0 ? record[i] : null);
            }
        }

        return new TableProfile { Path = path, Format = "csv", Rows = rows, Columns = columns.Select((c, i) => c.Build(header[i])).ToList() };
    }

    private static async Task<TableProfile> ProfileParquetAsync(string fullPath, string path, CancellationToken ct)
    {
        var stream = File.OpenRead(fullPath);
        await using var _ = stream.ConfigureAwait(false);
        var reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        await using var __ = reader.ConfigureAwait(false);
        // Flat columns only: a repeated field has no single value per row to profile.
        var fields = reader.Schema.GetDataFields().Where(f => !f.IsArray).ToArray();
        var columns = fields.Select(f => new ColumnAccumulator(ParquetType(f))).ToArray();
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
            for (var i = 0; i < fields.Length; i++)
            {
                foreach (var value in await ReadColumnAsync(group, fields[i], checked((int)group.RowCount), ct).ConfigureAwait(false))
                {
                    columns[i].Add(Text(value));
                }
            }
        }

        return new TableProfile { Path = path, Format = "parquet", Rows = rows, Columns = columns.Select((c, i) => c.Build(fields[i].Name)).ToList() };
    }

    private static Task<string?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return type switch
        {
            // Parquet.Net 6 declares UTF-8 columns as ReadOnlyMemory<char>; they read as strings.
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => ReadStringsAsync(group, field, rows, ct),
            _ when type == typeof(int) => ReadValuesAsync<int>(group, field, rows, ct),
            _ when type == typeof(long) => ReadValuesAsync<long>(group, field, rows, ct),
            _ when type == typeof(short) => ReadValuesAsync<short>(group, field, rows, ct),
            _ when type == typeof(sbyte) => ReadValuesAsync<sbyte>(group, field, rows, ct),
            _ when type == typeof(byte) => ReadValuesAsync<byte>(group, field, rows, ct),
            _ when type == typeof(ushort) => ReadValuesAsync<ushort>(group, field, rows, ct),
            _ when type == typeof(uint) => ReadValuesAsync<uint>(group, field, rows, ct),
            _ when type == typeof(ulong) => ReadValuesAsync<ulong>(group, field, rows, ct),
            _ when type == typeof(float) => ReadValuesAsync<float>(group, field, rows, ct),
            _ when type == typeof(double) => ReadValuesAsync<double>(group, field, rows, ct),
            _ when type == typeof(decimal) => ReadValuesAsync<decimal>(group, field, rows, ct),
            _ when type == typeof(bool) => ReadValuesAsync<bool>(group, field, rows, ct),
            _ when type == typeof(DateTime) => ReadValuesAsync<DateTime>(group, field, rows, ct),
            _ when type == typeof(DateTimeOffset) => ReadValuesAsync<DateTimeOffset>(group, field, rows, ct),
            _ when type == typeof(DateOnly) => ReadValuesAsync<DateOnly>(group, field, rows, ct),
            _ when type == typeof(TimeSpan) => ReadValuesAsync<TimeSpan>(group, field, rows, ct),
            _ => Task.FromResult(new string?[rows]),
        };
    }

    private static async Task<string?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = await ParquetValues.ReadAsync<T>(group, field, rows, ct).ConfigureAwait(false);
        return values.Select(v => v is { } value ? Text(value) : null).ToArray();
    }

    private static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var values = new string?[rows];
        await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values;
    }

    private static string ParquetType(DataField field)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => "integer",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "double",
            TypeCode.Boolean => "boolean",
            TypeCode.DateTime => "datetime",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateOnly) => "datetime",
            _ => "string",
        };
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>One RFC 4180 record: quoted fields may hold commas, doubled quotes and line breaks. Null at end of file.</summary>
    private static List<string>? ReadRecord(TextReader reader)
    {
        var c = reader.Read();
        if (c < 0)
        {
            return null;
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            if (quoted)
            {
                if (c < 0)
                {
                    break;
                }

                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append((char)c);
                }
            }
            else if (c is < 0 or '\n')
            {
                break;
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append((char)c);
            }

            c = reader.Read();
        }

        fields.Add(field.ToString());
        return fields;
    }

    private sealed class ColumnAccumulator(string? declaredType)
    {
        private const int SketchSize = 1024;
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly SortedSet<ulong> _sketch = [];
        private readonly List<double> _numbers = [];
        private ulong _sketchMax;
        private bool _overflow;
        private long _nulls;
        private long _values;
        private bool _integer = true;
        private bool _double = true;
        private bool _boolean = true;
        private bool _datetime = true;
        private DateTimeOffset _earliest = DateTimeOffset.MaxValue;
        private DateTimeOffset _latest = DateTimeOffset.MinValue;

        public void Add(string? value)
        {
            if (value is null)
            {
                _nulls++;
                return;
            }

            _values++;
            Count(value);
            var whole = 0L;
            if (_integer && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out whole))
            {
                _integer = false;
            }

            if (_double)
            {
                // An integer needs no second parse.
                if (_integer)
                {
                    _numbers.Add(whole);
                }
                else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    _numbers.Add(number);
                }
                else
                {
                    _double = false;
                    _numbers.Clear();
                }
            }

            _boolean = _boolean && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase));
            if (_datetime)
            {
                if (LooksLikeDate(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    _earliest = time < _earliest ? time : _earliest;
                    _latest = time > _latest ? time : _latest;
                }
                else
                {
                    _datetime = false;
                }
            }
        }

        // Only ISO-shaped dates (yyyy-MM-dd...) count: the invariant culture would otherwise read "1.5" or "3/4" as dates.
        private static bool LooksLikeDate(string value) =>
            value.Length >= 10 && char.IsAsciiDigit(value[0]) && char.IsAsciiDigit(value[3]) && value[4] == '-' && value[7] == '-';

        private void Count(string value)
        {
            // Most hashes are above the k-th smallest once the sketch is full: compare with a cached bound, not the tree.
            var hash = Hash(value);
            if (_sketch.Count < SketchSize)
            {
                _sketch.Add(hash);
                _sketchMax = _sketch.Max;
            }
            else if (hash < _sketchMax && _sketch.Add(hash))
            {
                _sketch.Remove(_sketchMax);
                _sketchMax = _sketch.Max;
            }

            if (_counts.TryGetValue(value, out var count))
            {
                _counts[value] = count + 1;
            }
            else if (_counts.Count < ExactBound)
            {
                _counts[value] = 1;
            }
            else
            {
                _overflow = true;
            }
        }

        // FNV-1a, then SplitMix64's finalizer so that similar strings spread over the whole range the sketch assumes.
        private static ulong Hash(string value)
        {
            var h = 14695981039346656037UL;
            foreach (var c in value)
            {
                h = (h ^ c) * 1099511628211UL;
            }

            h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9UL;
            h = (h ^ (h >> 27)) * 0x94d049bb133111ebUL;
            return h ^ (h >> 31);
        }

        public ColumnProfile Build(string name)
        {
            var type = declaredType ?? (_values == 0 ? "string" : _integer ? "integer" : _double ? "double" : _boolean ? "boolean" : _datetime ? "datetime" : "string");
            var profile = new ColumnProfile
            {
                Name = name,
                Type = type,
                Nulls = _nulls,
                Distinct = _overflow ? EstimateDistinct() : _counts.Count,
                DistinctExact = !_overflow,
            };
            if (type is "integer" or "double" && _numbers.Count > 0)
            {
                var min = _numbers.Min();
                var max = _numbers.Max();
                var mean = _numbers.Average();
                double? std = _numbers.Count > 1 ? Math.Sqrt(_numbers.Sum(x => (x - mean) * (x - mean)) / (_numbers.Count - 1)) : null;
                return profile with { Min = min, Max = max, Mean = mean, Std = std, Histogram = BuildHistogram(_numbers, min, max) };
            }

            // "TRUE" and "true" are one boolean value.
            var counts = type == "boolean"
                ? _counts.GroupBy(p => p.Key.ToLowerInvariant()).Select(g => KeyValuePair.Create(g.Key, g.Sum(p => p.Value))).ToList()
                : _counts.ToList();
            var top = counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(TopCount)
                .Select(p => new ValueCount { Value = p.Key, Count = p.Value }).ToList();
            profile = type == "boolean" ? profile with { Distinct = counts.Count } : profile;
            return type == "datetime" && _values > 0
                ? profile with { TopValues = top, Earliest = _earliest.ToString("O", CultureInfo.InvariantCulture), Latest = _latest.ToString("O", CultureInfo.InvariantCulture) }
                : profile with { TopValues = top };
        }

        // k-minimum values: the k-th smallest of n uniform 64-bit hashes sits near k/n of the range.
        private long EstimateDistinct() => (long)Math.Round((SketchSize - 1) / (_sketch.Max / (double)ulong.MaxValue));

        private static Histogram BuildHistogram(List<double> numbers, double min, double max)
        {
            var edges = new double[Bins + 1];
            for (var i = 0; i <= Bins; i++)
            {
                edges[i] = i == Bins ? max : min + ((max - min) * i / Bins);
            }

            var counts = new long[Bins];
            foreach (var x in numbers)
            {
                counts[Bin(edges, x)]++;
            }

            return new Histogram { Edges = edges, Counts = counts };
        }
    }

    /// <summary>The bin of <paramref name="x"/>: values below the first edge go to the first bin, above the last to the last.</summary>
    internal static int Bin(IReadOnlyList<double> edges, double x)
    {
        var bins = edges.Count - 1;
        for (var i = 1; i < bins; i++)
        {
            if (x < edges[i])
            {
                return i - 1;
            }
        }

        return bins - 1;
    }
}
