namespace Keel.Core.Monitoring;

/// <summary>The columns of a reference and a current table, typed for the drift tests, and how their schemas differ.</summary>
internal sealed record TypedColumns(IReadOnlyList<ColumnSample> Samples, IReadOnlyList<string> MissingColumns, IReadOnlyList<string> UnexpectedColumns);

/// <summary>
/// Decides each reference column's kind and turns both tables into <see cref="ColumnSample"/>s. A column is numeric
/// when every present reference value is a number (invariant culture), categorical otherwise, and categorical too
/// when it has at most <see cref="DriftOptions.MaxDistinctForCategorical"/> distinct numbers; a per-column
/// <see cref="ColumnDriftOptions.Kind"/> overrides both. A value that is not a number in a numeric column is a type
/// violation and is left out of the tests. In a categorical column a number's label is its round-trip form.
/// </summary>
internal static class ColumnTyping
{
    public static TypedColumns Prepare(DriftTable reference, DriftTable current, DriftOptions options)
    {
        var samples = new List<ColumnSample>();
        var missing = new List<string>();
        foreach (var column in reference.Columns)
        {
            var other = current.Column(column.Name);
            if (other is null)
            {
                missing.Add(column.Name);
            }

            var kind = options.For(column.Name).Kind ?? Infer(column, options.MaxDistinctForCategorical);
            samples.Add(kind == ColumnKind.Numeric
                ? Numeric(column, other, current.Rows)
                : Categorical(column, other, current.Rows));
        }

        var unexpected = current.Columns.Select(c => c.Name).Where(name => reference.Column(name) is null).ToList();
        return new TypedColumns(samples, missing, unexpected);
    }

    private static ColumnKind Infer(TableColumn column, int maxDistinctForCategorical)
    {
        if (column.Codes is { } codes && codes.Any(code => code >= 0))
        {
            return ColumnKind.Categorical;
        }

        var distinct = new HashSet<double>();
        foreach (var value in column.Numbers)
        {
            if (!double.IsNaN(value) && distinct.Add(value) && distinct.Count > maxDistinctForCategorical)
            {
                return ColumnKind.Numeric;
            }
        }

        return ColumnKind.Categorical;
    }

    private static NumericSample Numeric(TableColumn reference, TableColumn? current, long currentRows)
    {
        var (referenceValues, referenceMissing, _) = Numbers(reference);
        if (current is null)
        {
            return new NumericSample(reference.Name, referenceValues, [], referenceMissing, currentRows);
        }

        var (currentValues, currentMissing, violations) = Numbers(current);
        return new NumericSample(reference.Name, referenceValues, currentValues, referenceMissing, currentMissing, violations);
    }

    /// <summary>The present numbers (a fresh array, which the report sorts); missing values; text that is not a number.</summary>
    private static (double[] Values, long Missing, long Violations) Numbers(TableColumn column)
    {
        var present = 0;
        foreach (var value in column.Numbers)
        {
            present += double.IsNaN(value) ? 0 : 1;
        }

        var values = new double[present];
        var next = 0;
        foreach (var value in column.Numbers)
        {
            if (!double.IsNaN(value))
            {
                values[next++] = value;
            }
        }

        var violations = column.Codes is { } codes ? codes.LongCount(code => code >= 0) : 0;
        return (values, column.Length - present - violations, violations);
    }

    private static CategoricalSample Categorical(TableColumn reference, TableColumn? current, long currentRows)
    {
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceCodes = Codes(reference, labels);
        var currentCodes = current is null ? Enumerable.Repeat(TableColumn.Missing, checked((int)currentRows)).ToArray() : Codes(current, labels);
        var names = new string[labels.Count];
        foreach (var (label, code) in labels)
        {
            names[code] = label;
        }

        return CategoricalSample.FromCodes(reference.Name, names, referenceCodes, currentCodes);
    }

    /// <summary>Each row's index in the label list both tables share, or −1 when missing.</summary>
    private static int[] Codes(TableColumn column, Dictionary<string, int> labels)
    {
        const int Unmapped = int.MinValue;
        var shared = new int[column.Labels.Count];
        Array.Fill(shared, Unmapped);
        var numberCodes = new Dictionary<double, int>();
        var codes = new int[column.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            var code = column.Codes?[i] ?? (double.IsNaN(column.Numbers[i]) ? TableColumn.Missing : TableColumn.Number);
            if (code >= 0)
            {
                codes[i] = shared[code] == Unmapped ? shared[code] = Intern(column.Labels[code], labels) : shared[code];
            }
            else if (code == TableColumn.Number)
            {
                var number = column.Numbers[i];
                if (!numberCodes.TryGetValue(number, out var numberCode))
                {
                    numberCode = Intern(column.Text(i)!, labels);
                    numberCodes.Add(number, numberCode);
                }

                codes[i] = numberCode;
            }
            else
            {
                codes[i] = TableColumn.Missing;
            }
        }

        return codes;
    }

    private static int Intern(string label, Dictionary<string, int> labels)
    {
        if (!labels.TryGetValue(label, out var code))
        {
            code = labels.Count;
            labels.Add(label, code);
        }

        return code;
    }
}
