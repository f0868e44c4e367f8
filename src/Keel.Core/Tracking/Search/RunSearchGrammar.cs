namespace Keel.Core.Tracking.Search;

/// <summary>
/// What MLflow's SearchUtils accepts in a search_runs filter and order_by, resolved to canonical entities and keys.
/// </summary>
internal static class RunSearchGrammar
{
    private static readonly Dictionary<string, SearchEntity> Entities = new(StringComparer.Ordinal)
    {
        ["metric"] = SearchEntity.Metric,
        ["metrics"] = SearchEntity.Metric,
        ["parameter"] = SearchEntity.Param,
        ["parameters"] = SearchEntity.Param,
        ["param"] = SearchEntity.Param,
        ["params"] = SearchEntity.Param,
        ["tag"] = SearchEntity.Tag,
        ["tags"] = SearchEntity.Tag,
        ["attribute"] = SearchEntity.Attribute,
        ["attributes"] = SearchEntity.Attribute,
        ["attr"] = SearchEntity.Attribute,
        ["run"] = SearchEntity.Attribute,
        ["dataset"] = SearchEntity.Dataset,
        ["datasets"] = SearchEntity.Dataset,
    };

    // Attribute keys as users may write them, mapped to the canonical key; "created" and "run name" are MLflow's aliases.
    private static readonly Dictionary<string, string> OrderAttributes = new(StringComparer.Ordinal)
    {
        ["run_id"] = RunAttributes.RunId,
        ["run_name"] = RunAttributes.RunName,
        ["user_id"] = RunAttributes.UserId,
        ["status"] = RunAttributes.Status,
        ["start_time"] = RunAttributes.StartTime,
        ["end_time"] = RunAttributes.EndTime,
        ["artifact_uri"] = RunAttributes.ArtifactUri,
        ["created"] = RunAttributes.StartTime,
        ["Created"] = RunAttributes.StartTime,
    };

    // MLflow accepts the spelled-out run name aliases in filters only, not in order_by.
    private static readonly Dictionary<string, string> FilterAttributes = new(OrderAttributes, StringComparer.Ordinal)
    {
        ["run name"] = RunAttributes.RunName,
        ["Run name"] = RunAttributes.RunName,
        ["Run Name"] = RunAttributes.RunName,
    };

    private static readonly string[] DatasetKeys = [RunAttributes.DatasetName, RunAttributes.DatasetDigest, RunAttributes.DatasetContext];

    public static IReadOnlyList<Comparison> ParseFilter(string? filter) =>
        SearchFilterParser.Parse(filter).Select(Validate).ToList();

    public static IReadOnlyList<OrderByClause> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        var clauses = new List<OrderByClause>();
        foreach (var entry in orderBy ?? [])
        {
            var (identifier, ascending) = OrderByParser.Parse(entry);
            var (entity, key) = Resolve(identifier, OrderAttributes);
            if (entity == SearchEntity.Dataset)
            {
                throw KeelException.InvalidParameter($"Invalid order_by clause '{entry}': runs cannot be ordered by dataset fields.");
            }

            if (clauses.Any(c => c.Entity == entity && c.Key == key))
            {
                throw KeelException.InvalidParameter($"order_by contains duplicate fields: '{entry}' repeats an earlier clause.");
            }

            clauses.Add(new OrderByClause(entity, key, ascending));
        }

        return clauses;
    }

    private static Comparison Validate(RawComparison raw)
    {
        var (entity, key) = Resolve(raw.Identifier, FilterAttributes);
        var numeric = entity == SearchEntity.Metric || (entity == SearchEntity.Attribute && RunAttributes.IsNumeric(key));
        var subject = $"{Describe(entity)} '{key}'";
        SearchClauseRules.RequireComparator(raw, numeric ? ComparatorText.Numeric : ComparatorText.String, subject);
        SearchClauseRules.RequireValue(raw, numeric, subject);
        return new Comparison(entity, key, raw.Comparator, raw.Value);
    }

    private static (SearchEntity Entity, string Key) Resolve(SearchIdentifier identifier, Dictionary<string, string> attributes)
    {
        var key = SearchClauseRules.RequireKey(identifier);
        var entity = SearchEntity.Attribute;
        if (identifier.Entity is not null && !Entities.TryGetValue(identifier.Entity, out entity))
        {
            throw KeelException.InvalidParameter(
                $"Invalid entity type '{identifier.Entity}' in '{identifier.Text}'. "
                + "Valid entity types are metric, parameter, tag, attribute and dataset (or metrics, params, tags, attributes, datasets).");
        }

        if (entity == SearchEntity.Attribute)
        {
            if (!attributes.TryGetValue(key, out var canonical))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid attribute key '{key}' in '{identifier.Text}'. Valid keys are {string.Join(", ", attributes.Keys)}.");
            }

            return (entity, canonical);
        }

        if (entity == SearchEntity.Dataset && !DatasetKeys.Contains(key))
        {
            throw KeelException.InvalidParameter(
                $"Invalid dataset key '{key}' in '{identifier.Text}'. Valid keys are {string.Join(", ", DatasetKeys)}.");
        }

        return (entity, key);
    }

    private static string Describe(SearchEntity entity) => entity switch
    {
        SearchEntity.Metric => "metric",
        SearchEntity.Param => "param",
        SearchEntity.Tag => "tag",
        SearchEntity.Attribute => "attribute",
        _ => "dataset",
    };
}
