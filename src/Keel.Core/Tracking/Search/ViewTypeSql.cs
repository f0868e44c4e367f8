namespace Keel.Core.Tracking.Search;

internal static class ViewTypeSql
{
    /// <summary>The lifecycle_stage condition for a view on the table aliased <paramref name="alias"/>, or null for all stages.</summary>
    public static string? Condition(ViewType view, string alias) => view switch
    {
        ViewType.ActiveOnly => $"{alias}.lifecycle_stage = 'active'",
        ViewType.DeletedOnly => $"{alias}.lifecycle_stage = 'deleted'",
        ViewType.All => null,
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
    };
}
