namespace Keel.Core.Tracking.Search;

/// <summary>
/// A run search as ordered parts: the result is the rows of each part in turn, of which the page is
/// <see cref="Limit"/> rows after the first <see cref="Offset"/>. Each part selects one column, run_key.
/// </summary>
internal sealed record RunSearchQuery(IReadOnlyList<SqlQuery> Parts, int Offset, int Limit)
{
    /// <summary>How many rows, across the parts, the page needs read: reading stops there.</summary>
    public int Window => Offset + Limit;
}
