using System.Globalization;

namespace Keel.Core.Monitoring;

/// <summary>A table as read from a file, column by column.</summary>
internal sealed record DriftTable(long Rows, IReadOnlyList<TableColumn> Columns)
{
    public TableColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// One column, 12 bytes a row at most whatever its text: <see cref="Numbers"/> holds row i's value when it is a
/// number and NaN otherwise; <see cref="Codes"/> (null when no row holds anything but numbers and missing values)
/// holds an index into <see cref="Labels"/> for other text, <see cref="Missing"/> or <see cref="Number"/>.
/// </summary>
internal sealed record TableColumn(string Name, double[] Numbers, int[]? Codes, IReadOnlyList<string> Labels)
{
    public const int Missing = -1;
    public const int Number = -2;

    public int Length => Numbers.Length;

    public bool IsMissing(int row) => Codes is { } codes ? codes[row] == Missing : double.IsNaN(Numbers[row]);

    /// <summary>Row i as text: a label, a number in round-trip form, or null when missing.</summary>
    public string? Text(int row) => Codes?[row] switch
    {
        >= 0 and var code => Labels[code],
        Missing => null,
        _ => double.IsNaN(Numbers[row]) ? null : Numbers[row].ToString("R", CultureInfo.InvariantCulture),
    };

    public static TableColumn FromText(string name, IEnumerable<string?> values)
    {
        var builder = new TableColumnBuilder(name);
        foreach (var value in values)
        {
            builder.Add(value);
        }

        return builder.Build();
    }
}

/// <summary>
/// Builds a <see cref="TableColumn"/> from text fields without keeping a string per row: numbers are parsed on
/// arrival, other text is interned per column (looked up by span, so a repeated value allocates nothing).
/// </summary>
internal sealed class TableColumnBuilder(string name)
{
    // What pandas also reads as missing by default, so a CSV written from a DataFrame with NaN keeps its meaning.
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.Ordinal) { "NA", "N/A", "NaN", "nan", "null", "NULL", "None" };
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MissingLookup = MissingMarkers.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly List<double> _numbers = [];
    private readonly List<string> _labels = [];
    private readonly Dictionary<string, int> _labelCodes = new(StringComparer.Ordinal);

    // Started at the first text that is not a number (filled in for the rows before it from their numbers), so a
    // purely numeric column costs 8 bytes a row.
    private List<int>? _codes;

    public void Add(string? value) => Add(value.AsSpan(), value is null);

    public void Add(ReadOnlySpan<char> value, bool isNull = false)
    {
        if (isNull || value.IsEmpty || MissingLookup.Contains(value))
        {
            _numbers.Add(double.NaN);
            _codes?.Add(TableColumn.Missing);
            return;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsNaN(number))
        {
            _numbers.Add(number);
            _codes?.Add(TableColumn.Number);
            return;
        }

        var lookup = _labelCodes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(value, out var code))
        {
            code = _labels.Count;
            var label = value.ToString();
            _labels.Add(label);
            _labelCodes.Add(label, code);
        }

        _codes ??= _numbers.Select(n => double.IsNaN(n) ? TableColumn.Missing : TableColumn.Number).ToList();
        _numbers.Add(double.NaN);
        _codes.Add(code);
    }

    public TableColumn Build() => new(name, _numbers.ToArray(), _codes?.ToArray(), _labels);
}
