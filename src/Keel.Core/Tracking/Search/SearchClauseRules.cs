namespace Keel.Core.Tracking.Search;

/// <summary>Checks shared by the run and experiment grammars, with MLflow-like error messages.</summary>
internal static class SearchClauseRules
{
    public static void RequireComparator(RawComparison raw, IReadOnlyList<Comparator> allowed, string subject)
    {
        if (!allowed.Contains(raw.Comparator))
        {
            throw KeelException.InvalidParameter(
                $"Invalid comparator '{raw.Comparator.ToText()}' for {subject} in '{raw.Text}'. Valid comparators are {allowed.Describe()}.");
        }
    }

    public static void RequireValue(RawComparison raw, bool numeric, string subject)
    {
        if (numeric)
        {
            if (raw.Value is not NumberValue)
            {
                throw KeelException.InvalidParameter($"Expected a numeric value for {subject} in '{raw.Text}'.");
            }

            return;
        }

        if (raw.Comparator is Comparator.In or Comparator.NotIn)
        {
            if (raw.Value is not ListValue)
            {
                throw KeelException.InvalidParameter(
                    $"Expected a list of quoted strings such as ('a', 'b') after {raw.Comparator.ToText()} for {subject} in '{raw.Text}'.");
            }

            return;
        }

        if (raw.Value is not StringValue)
        {
            throw KeelException.InvalidParameter(
                $"Expected a quoted string value (e.g. 'my-value') for {subject} in '{raw.Text}'.");
        }
    }

    public static string RequireKey(SearchIdentifier identifier)
    {
        if (identifier.Key.Length == 0)
        {
            throw KeelException.InvalidParameter($"Missing key in '{identifier.Text}'.");
        }

        return identifier.Key;
    }
}
