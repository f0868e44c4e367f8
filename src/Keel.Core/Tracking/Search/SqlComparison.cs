namespace Keel.Core.Tracking.Search;

/// <summary>Renders one comparison against a whitelisted column expression; the value always becomes a parameter.</summary>
internal static class SqlComparison
{
    public static string Render(string column, Comparator comparator, FilterValue value, SqlParameterBag parameters, bool integerColumn = false)
    {
        if (comparator is Comparator.In or Comparator.NotIn)
        {
            var list = parameters.AddList(((ListValue)value).Values);
            return comparator == Comparator.In ? $"{column} IN {list}" : $"{column} NOT IN {list}";
        }

        var parameter = parameters.Add(ParameterValue(value, integerColumn));
        return comparator switch
        {
            // LIKE is case-sensitive on PostgreSQL and on SQLite once the store sets PRAGMA case_sensitive_like.
            Comparator.Like => $"{column} LIKE {parameter}",
            // ILIKE is PostgreSQL-only; LOWER on both sides works on both databases.
            Comparator.ILike => $"LOWER({column}) LIKE LOWER({parameter})",
            _ => $"{column} {Operator(comparator)} {parameter}",
        };
    }

    public static string Operator(Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "<>",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not a plain SQL operator."),
    };

    // Integral values stay integers against integer columns so PostgreSQL can compare bigint to bigint and use its indexes.
    private static object ParameterValue(FilterValue value, bool integerColumn) => value switch
    {
        StringValue s => s.Value,
        NumberValue n when integerColumn && IsInt64(n.Value) => (long)n.Value,
        NumberValue n => n.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Lists are rendered with IN."),
    };

    private static bool IsInt64(double value) =>
        Math.Floor(value) == value && value >= long.MinValue && value < long.MaxValue;
}
