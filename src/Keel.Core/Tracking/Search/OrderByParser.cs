namespace Keel.Core.Tracking.Search;

/// <summary>The syntax of one order_by entry: a key, then optionally ASC or DESC (any case).</summary>
internal static class OrderByParser
{
    public static (SearchIdentifier Identifier, bool Ascending) Parse(string? orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            throw KeelException.InvalidParameter($"Invalid order_by clause '{orderBy}': it is empty.");
        }

        var scanner = new SearchScanner(orderBy, "order_by clause");
        var identifier = scanner.ReadIdentifier("a key such as metrics.rmse or start_time");
        var ascending = true;
        if (scanner.TryKeyword("DESC"))
        {
            ascending = false;
        }
        else
        {
            scanner.TryKeyword("ASC");
        }

        if (!scanner.AtEnd)
        {
            throw scanner.Error($"expected ASC or DESC after '{identifier.Text}' but found {scanner.Found()}.");
        }

        return (identifier, ascending);
    }
}
