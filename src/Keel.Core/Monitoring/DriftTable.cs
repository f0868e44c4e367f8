namespace Keel.Core.Monitoring;

/// <summary>A table as read from a file: each column holds text (null = missing) or numbers (NaN = missing).</summary>
internal sealed record DriftTable(long Rows, IReadOnlyList<TableColumn> Columns)
{
    public TableColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>One column: exactly one of <see cref="Text"/> and <see cref="Numbers"/> is set.</summary>
internal sealed record TableColumn(string Name, string?[]? Text, double[]? Numbers);
