using System.Globalization;
using Keel.Core.Monitoring;

namespace Keel.Core.DataValidation;

/// <summary>
/// Checks a table against a <see cref="DataSchema"/>: every column check first, then table-wide duplicates, then the
/// label distribution, so one report lists every violation rather than stopping at the first.
/// </summary>
internal static partial class DataValidator
{
    private const int Examples = 5;

    public static DataValidationReport Validate(DriftTable table, DataSchema schema, string? target, string data, string against)
    {
        var violations = new List<Violation>();
        foreach (var column in schema.Columns.Where(c => table.Column(c.Name) is null))
        {
            violations.Add(new(ViolationKinds.MissingColumn, column.Name, "the column is not in the data"));
        }

        foreach (var column in table.Columns.Where(c => schema.Columns.All(s => s.Name != c.Name)))
        {
            violations.Add(new(ViolationKinds.UnexpectedColumn, column.Name, "the column is not in the reference"));
        }

        foreach (var expected in schema.Columns)
        {
            if (table.Column(expected.Name) is { } column)
            {
                CheckColumn(column, expected, schema, table.Rows, violations);
            }
        }

        var duplicates = DuplicateRows(table);
        if (schema.MaxDuplicateShare is { } maxDuplicates && table.Rows > 0 && (double)duplicates / table.Rows > maxDuplicates)
        {
            violations.Add(new(ViolationKinds.DuplicateRows, null,
                $"{duplicates} of {table.Rows} rows repeat an earlier row ({Share(duplicates, table.Rows)}), above the allowed {Percent(maxDuplicates)}"));
        }

        LabelShift? label = null;
        if (target is not null)
        {
            label = LabelDistribution(table.Column(target) ?? throw new FormatException($"The data has no target column '{target}'."),
                schema.Columns.FirstOrDefault(c => c.Name == target) ?? throw new FormatException($"The reference has no target column '{target}'."),
                schema.MaxLabelPsi ?? DataSchema.DefaultMaxLabelPsi);
            if (label is not null && label.Psi > label.Threshold)
            {
                violations.Add(new(ViolationKinds.LabelShift, target, FormattableString.Invariant(
                    $"the label distribution shifted: PSI {label.Psi:0.####} above {label.Threshold:0.####}") +
                    (label.ChiSquarePValue is { } p ? FormattableString.Invariant($" (chi-square p = {p:0.####})") : "")));
            }
        }

        return new DataValidationReport(data, against, table.Rows, table.Columns.Count, violations, label);
    }

    private static void CheckColumn(TableColumn column, ColumnSchema expected, DataSchema schema, long rows, List<Violation> violations)
    {
        var missing = Enumerable.Range(0, column.Length).LongCount(column.IsMissing);
        var actualType = InferType(column);
        if (expected.Type is { } type && actualType is not null && !Satisfies(actualType, type))
        {
            violations.Add(new(ViolationKinds.TypeMismatch, column.Name, $"expected {type}, found {actualType} (e.g. '{FirstNotOf(column, type)}')"));
        }

        if (!expected.Nullable && missing > 0)
        {
            violations.Add(new(ViolationKinds.NullValues, column.Name, $"{missing} missing values in a column the reference has none in"));
        }
        else if ((expected.MaxMissingShare ?? schema.MaxMissingShare) is { } maxMissing && rows > 0 && (double)missing / rows > maxMissing)
        {
            violations.Add(new(ViolationKinds.MissingRate, column.Name, $"{missing} of {rows} values missing ({Share(missing, rows)}), above the allowed {Percent(maxMissing)}"));
        }

        if (expected.Min is not null || expected.Max is not null)
        {
            var outside = column.Numbers.Where(v => !double.IsNaN(v) && (v < expected.Min || v > expected.Max)).ToList();
            if (outside.Count > 0)
            {
                violations.Add(new(ViolationKinds.OutOfRange, column.Name, FormattableString.Invariant(
                    $"{outside.Count} values outside [{expected.Min?.ToString("G6", CultureInfo.InvariantCulture) ?? "-inf"}, {expected.Max?.ToString("G6", CultureInfo.InvariantCulture) ?? "inf"}], from {outside.Min():G6} to {outside.Max():G6}")));
            }
        }

        if (expected.Categories is { } categories)
        {
            var allowed = categories.ToHashSet(StringComparer.Ordinal);
            var unseen = Enumerable.Range(0, column.Length).Select(column.Text).Where(v => v is not null && !allowed.Contains(v)).ToList();
            if (unseen.Count > 0)
            {
                var values = unseen.Distinct().ToList();
                violations.Add(new(ViolationKinds.UnseenCategory, column.Name,
                    $"{unseen.Count} values in {values.Count} categories the reference does not have: {string.Join(", ", values.Take(Examples).Select(v => $"'{v}'"))}{(values.Count > Examples ? ", ..." : "")}"));
            }
        }
    }

    /// <summary>
    /// Rows equal in every column to an earlier row. A 64-bit hash per row finds candidates without building a string
    /// per row (a million rows would cost hundreds of megabytes); candidates are then compared value by value, and the
    /// rare row whose hash collides with a different row is kept in a side list so it is still compared exactly.
    /// </summary>
    private static long DuplicateRows(DriftTable table)
    {
        var first = new Dictionary<ulong, int>();
        var collided = new Dictionary<ulong, List<int>>();
        long duplicates = 0;
        for (var row = 0; row < table.Rows; row++)
        {
            var hash = RowHash(table, row);
            if (first.TryAdd(hash, row))
            {
                continue;
            }

            if (SameRow(table, first[hash], row))
            {
                duplicates++;
                continue;
            }

            var others = collided.TryGetValue(hash, out var list) ? list : collided[hash] = [];
            if (others.Any(other => SameRow(table, other, row)))
            {
                duplicates++;
            }
            else
            {
                others.Add(row);
            }
        }

        return duplicates;
    }

    private static ulong RowHash(DriftTable table, int row)
    {
        var hash = 0xcbf29ce484222325UL;
        foreach (var column in table.Columns)
        {
            var value = column.Codes is { } codes && codes[row] != TableColumn.Number ? (ulong)(uint)codes[row] : (ulong)BitConverter.DoubleToInt64Bits(column.Numbers[row]);
            hash = Mix(hash ^ value);
        }

        return hash;
    }

    // SplitMix64's finaliser: every input bit affects every output bit, so similar rows land far apart.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }

    // Labels are interned per column, so equal codes are equal text; numbers compare by bits, so missing equals missing.
    private static bool SameRow(DriftTable table, int a, int b) => table.Columns.All(c =>
        (c.Codes is null || c.Codes[a] == c.Codes[b]) && BitConverter.DoubleToInt64Bits(c.Numbers[a]) == BitConverter.DoubleToInt64Bits(c.Numbers[b]));

    private static string Share(long part, long whole) => Percent((double)part / whole);

    private static string Percent(double share) => share.ToString("0.##%", CultureInfo.InvariantCulture);
}
