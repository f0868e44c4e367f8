using System.Text;

namespace Keel.Core.Tracking.Search;

/// <summary>
/// Turns a search_runs request into one SELECT of <c>runs.run_key</c>, ordered and paged.
/// Metric, param and tag filters are inner joins on the (run_key, key) primary keys: each matches at most one row
/// per run, so the join never duplicates runs, and the planner may start from the latest_metrics(key, value) index
/// when that filter is the selective one. Dataset filters use EXISTS because a run can have many inputs.
/// </summary>
internal static partial class RunSearchSql
{
    public static RunSearchQuery Build(
        IReadOnlyList<long> experimentIds, ViewType view, string? filter, IReadOnlyList<string>? orderBy, int limit, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var comparisons = RunSearchGrammar.ParseFilter(filter);
        var ordering = RunSearchGrammar.ParseOrderBy(orderBy);

        var parameters = new SqlParameterBag();
        var joins = new List<string>();
        var conditions = new List<string> { ExperimentCondition(experimentIds, parameters) };
        if (ViewTypeSql.Condition(view, "r") is { } lifecycle)
        {
            conditions.Add(lifecycle);
        }

        for (var i = 0; i < comparisons.Count; i++)
        {
            AddFilter(comparisons[i], $"f{i}", parameters, joins, conditions);
        }

        // Every part is limited to the whole window; the reader stops as soon as the window is full.
        var window = parameters.Add(offset + limit);
        if (ordering is [{ Entity: SearchEntity.Metric or SearchEntity.Param or SearchEntity.Tag } lead, ..])
        {
            var rest = OrderTerms(ordering.Skip(1).ToList(), parameters, joins);
            return new RunSearchQuery(KeyLedParts(lead, rest, joins, conditions, parameters, window), offset, limit);
        }

        var sql = Select("FROM runs r", joins, conditions, OrderTerms(ordering, parameters, joins), window);
        return new RunSearchQuery([new SqlQuery(sql, parameters.Values)], offset, limit);
    }

    /// <summary>
    /// Ordered by a metric, param or tag first, the result is runs of rows in turn: runs with a value (sorted by
    /// it), then, for a metric, runs whose value is NaN, then runs without the key. The first part walks the
    /// (key, value) index of the key's table in order, so a page of 100 out of 10,000 runs reads about 100 index
    /// entries instead of probing every run and sorting them all; the later parts are read only when the first
    /// runs short. CROSS JOIN is SQLite's way of saying "drive from the index": it keeps the key's table as the
    /// outer loop; PostgreSQL plans it as an ordinary join and reaches the same plan.
    /// </summary>
    private static List<SqlQuery> KeyLedParts(
        OrderByClause lead, List<string> restTerms, List<string> joins, List<string> conditions, SqlParameterBag parameters, string window)
    {
        var table = KeyTable(lead.Entity);
        var key = parameters.Add(lead.Key);
        var driven = $"FROM {table} lead CROSS JOIN runs r";
        var onLead = $"lead.key = {key} AND r.run_key = lead.run_key";
        var direction = lead.Ascending ? "ASC" : "DESC";
        // Params and tags are indexed on a prefix of the value (see the SearchValueIndexes migration); ordering by
        // the prefix, then the whole value, is the same order and lets the index supply it.
        var byValue = lead.Entity == SearchEntity.Metric
            ? $"lead.value {direction}"
            : $"substr(lead.value, 1, 200) {direction}, lead.value {direction}";
        var missing = Select("FROM runs r", joins,
            [$"NOT EXISTS (SELECT 1 FROM {table} lead WHERE lead.run_key = r.run_key AND lead.key = {key})", .. conditions], restTerms, window);
        if (lead.Entity != SearchEntity.Metric)
        {
            var present = Select(driven, joins, [onLead, .. conditions], [byValue, .. restTerms], window);
            return [new(present, parameters.Values), new(missing, parameters.Values)];
        }

        var real = Select(driven, joins, [onLead, "NOT lead.is_nan", .. conditions], [byValue, .. restTerms], window);
        var nan = Select(driven, joins, [onLead, "lead.is_nan", .. conditions], restTerms, window);
        return [new(real, parameters.Values), new(nan, parameters.Values), new(missing, parameters.Values)];
    }

    private static string KeyTable(SearchEntity entity) => entity switch
    {
        SearchEntity.Metric => "latest_metrics",
        SearchEntity.Param => "params",
        _ => "tags",
    };

    private static string Select(string from, List<string> joins, List<string> conditions, List<string> orderTerms, string window)
    {
        var sql = new StringBuilder("SELECT r.run_key ").Append(from);
        foreach (var join in joins)
        {
            sql.Append('\n').Append(join);
        }

        sql.Append("\nWHERE ").AppendJoin("\n  AND ", conditions);
        sql.Append("\nORDER BY ").AppendJoin(", ", orderTerms);
        sql.Append("\nLIMIT ").Append(window);
        return sql.ToString();
    }

    private static string ExperimentCondition(IReadOnlyList<long> experimentIds, SqlParameterBag parameters) => experimentIds.Count switch
    {
        // MLflow answers a search over no experiments with no runs; "IN ()" is not valid on PostgreSQL.
        0 => "1 = 0",
        1 => $"r.experiment_id = {parameters.Add(experimentIds[0])}",
        _ => $"r.experiment_id IN ({string.Join(", ", experimentIds.Select(id => parameters.Add(id)))})",
    };

    private static void AddFilter(Comparison comparison, string alias, SqlParameterBag parameters, List<string> joins, List<string> conditions)
    {
        switch (comparison.Entity)
        {
            case SearchEntity.Attribute:
                var column = "r." + RunAttributes.Column(comparison.Key);
                conditions.Add(SqlComparison.Render(column, comparison.Comparator, comparison.Value, parameters, RunAttributes.IsNumeric(comparison.Key)));
                break;
            case SearchEntity.Metric:
                joins.Add($"JOIN latest_metrics {alias} ON {alias}.run_key = r.run_key AND {alias}.key = {parameters.Add(comparison.Key)}");
                conditions.Add(MetricCondition(alias, comparison, parameters));
                break;
            case SearchEntity.Param:
            case SearchEntity.Tag:
                var table = comparison.Entity == SearchEntity.Param ? "params" : "tags";
                joins.Add($"JOIN {table} {alias} ON {alias}.run_key = r.run_key AND {alias}.key = {parameters.Add(comparison.Key)}");
                conditions.Add(SqlComparison.Render($"{alias}.value", comparison.Comparator, comparison.Value, parameters));
                break;
            case SearchEntity.Dataset:
                conditions.Add(DatasetCondition(alias, comparison, parameters));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(comparison), comparison.Entity, null);
        }
    }

    // NaN is stored as value 0 with is_nan set. Like IEEE (and MLflow's file store), NaN is unequal to everything
    // and neither less nor greater than anything, so only != matches it.
    private static string MetricCondition(string alias, Comparison comparison, SqlParameterBag parameters)
    {
        var value = SqlComparison.Render($"{alias}.value", comparison.Comparator, comparison.Value, parameters);
        return comparison.Comparator == Comparator.NotEqual
            ? $"({alias}.is_nan OR {value})"
            : $"NOT {alias}.is_nan AND {value}";
    }

    // A run matches when any of its dataset inputs does, as in MLflow.
    private static string DatasetCondition(string alias, Comparison comparison, SqlParameterBag parameters)
    {
        if (comparison.Key == RunAttributes.DatasetContext)
        {
            var tagKey = parameters.Add(RunAttributes.DatasetContextTag);
            var value = SqlComparison.Render($"{alias}.value", comparison.Comparator, comparison.Value, parameters);
            return $"EXISTS (SELECT 1 FROM input_tags {alias} WHERE {alias}.run_key = r.run_key AND {alias}.key = {tagKey} AND {value})";
        }

        var column = comparison.Key == RunAttributes.DatasetName ? "name" : "digest";
        var condition = SqlComparison.Render($"{alias}d.{column}", comparison.Comparator, comparison.Value, parameters);
        return $"EXISTS (SELECT 1 FROM inputs {alias} JOIN datasets {alias}d ON {alias}d.dataset_id = {alias}.dataset_id "
            + $"WHERE {alias}.run_key = r.run_key AND {condition})";
    }
}
