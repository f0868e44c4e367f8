namespace Keel.Core.Tracking.Search;

/// <summary>
/// The syntax shared by run and experiment filters: comparisons joined by AND. Which keys, comparators and
/// values make sense is for <see cref="RunSearchGrammar"/> and <see cref="ExperimentSearchGrammar"/> to decide.
/// </summary>
internal static class SearchFilterParser
{
    private const string ExpectedKey = "a key such as metrics.rmse, params.lr or attributes.status";

    public static IReadOnlyList<RawComparison> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var scanner = new SearchScanner(filter, "filter");
        var clauses = new List<RawComparison>();
        while (true)
        {
            var start = scanner.Position;
            var identifier = scanner.ReadIdentifier(ExpectedKey);
            var comparator = scanner.ReadComparator(identifier.Text);
            var value = scanner.ReadValue($"{identifier.Text} {comparator.ToText()}");
            clauses.Add(new RawComparison(identifier, comparator, value, scanner.Slice(start)));

            if (scanner.AtEnd)
            {
                return clauses;
            }

            if (scanner.TryKeyword("AND"))
            {
                if (scanner.AtEnd)
                {
                    throw scanner.Error("it ends with AND; expected another comparison after it.");
                }

                continue;
            }

            if (scanner.TryKeyword("OR"))
            {
                throw scanner.Error("OR is not supported; MLflow search filters can only combine comparisons with AND.");
            }

            throw scanner.Error($"expected AND or the end of the filter after '{clauses[^1].Text}' but found {scanner.Found()}.");
        }
    }
}
