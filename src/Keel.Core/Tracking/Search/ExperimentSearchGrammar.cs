namespace Keel.Core.Tracking.Search;

/// <summary>What MLflow's SearchExperimentsUtils accepts in a search_experiments filter and order_by.</summary>
internal static class ExperimentSearchGrammar
{
    public const string Name = "name";
    public const string ExperimentId = "experiment_id";
    public const string CreationTime = "creation_time";
    public const string LastUpdateTime = "last_update_time";

    private static readonly string[] FilterAttributes = [Name, CreationTime, LastUpdateTime];
    private static readonly string[] OrderAttributes = [Name, ExperimentId, CreationTime, LastUpdateTime];

    public static bool IsNumeric(string key) => key is CreationTime or LastUpdateTime;

    public static IReadOnlyList<Comparison> ParseFilter(string? filter) =>
        SearchFilterParser.Parse(filter).Select(Validate).ToList();

    public static IReadOnlyList<OrderByClause> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        var clauses = new List<OrderByClause>();
        foreach (var entry in orderBy ?? [])
        {
            var (identifier, ascending) = OrderByParser.Parse(entry);
            var (entity, key) = Resolve(identifier, OrderAttributes);
            if (entity != SearchEntity.Attribute)
            {
                throw KeelException.InvalidParameter($"Invalid order_by clause '{entry}': experiments can only be ordered by {string.Join(", ", OrderAttributes)}.");
            }

            clauses.Add(new OrderByClause(entity, key, ascending));
        }

        return clauses;
    }

    private static Comparison Validate(RawComparison raw)
    {
        var (entity, key) = Resolve(raw.Identifier, FilterAttributes);
        var numeric = entity == SearchEntity.Attribute && IsNumeric(key);
        var subject = entity == SearchEntity.Tag ? $"tag '{key}'" : $"attribute '{key}'";
        // MLflow's SQL store rejects IN lists for experiments, even on name.
        SearchClauseRules.RequireComparator(raw, numeric ? ComparatorText.Numeric : ComparatorText.StringWithoutLists, subject);
        SearchClauseRules.RequireValue(raw, numeric, subject);
        return new Comparison(entity, key, raw.Comparator, raw.Value);
    }

    private static (SearchEntity Entity, string Key) Resolve(SearchIdentifier identifier, string[] attributes)
    {
        var key = SearchClauseRules.RequireKey(identifier);
        var entity = identifier.Entity switch
        {
            null or "attribute" or "attributes" => SearchEntity.Attribute,
            "tag" or "tags" => SearchEntity.Tag,
            _ => throw KeelException.InvalidParameter(
                $"Invalid entity type '{identifier.Entity}' in '{identifier.Text}'. Valid entity types are attribute and tag (or attributes, tags)."),
        };

        if (entity == SearchEntity.Attribute && !attributes.Contains(key))
        {
            throw KeelException.InvalidParameter(
                $"Invalid attribute key '{key}' in '{identifier.Text}'. Valid keys are {string.Join(", ", attributes)}.");
        }

        return (entity, key);
    }
}
