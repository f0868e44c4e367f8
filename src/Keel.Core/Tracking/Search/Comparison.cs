namespace Keel.Core.Tracking.Search;

/// <summary>What a filter or order_by key refers to: MLflow's entity prefixes, after aliases are resolved.</summary>
internal enum SearchEntity { Metric, Param, Tag, Attribute, Dataset }

internal enum Comparator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Like, ILike, In, NotIn }

/// <summary>The right-hand side of a comparison, as written in the filter.</summary>
internal abstract record FilterValue;

internal sealed record StringValue(string Value) : FilterValue;

internal sealed record NumberValue(double Value, string Text) : FilterValue;

internal sealed record ListValue(IReadOnlyList<string> Values) : FilterValue;

/// <summary>One validated AND-ed clause. Keys of attributes are canonical (<c>created</c> is <c>start_time</c>).</summary>
internal sealed record Comparison(SearchEntity Entity, string Key, Comparator Comparator, FilterValue Value);

/// <summary>One validated order_by entry.</summary>
internal sealed record OrderByClause(SearchEntity Entity, string Key, bool Ascending);

internal static class ComparatorText
{
    public static string ToText(this Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "!=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        Comparator.Like => "LIKE",
        Comparator.ILike => "ILIKE",
        Comparator.In => "IN",
        Comparator.NotIn => "NOT IN",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator)),
    };

    public static string Describe(this IEnumerable<Comparator> comparators) =>
        string.Join(", ", comparators.Select(c => c.ToText()));

    // Lists rather than sets so that error messages name the comparators in a stable order.
    public static readonly IReadOnlyList<Comparator> Numeric =
    [
        Comparator.Equal, Comparator.NotEqual, Comparator.Less, Comparator.LessOrEqual, Comparator.Greater, Comparator.GreaterOrEqual,
    ];

    public static readonly IReadOnlyList<Comparator> String =
    [
        Comparator.Equal, Comparator.NotEqual, Comparator.Like, Comparator.ILike, Comparator.In, Comparator.NotIn,
    ];

    public static readonly IReadOnlyList<Comparator> StringWithoutLists =
    [
        Comparator.Equal, Comparator.NotEqual, Comparator.Like, Comparator.ILike,
    ];
}
