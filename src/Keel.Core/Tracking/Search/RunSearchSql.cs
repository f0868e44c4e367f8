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
    public static SqlQuery Build(
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

        var orderTerms = OrderTerms(ordering, parameters, joins);

        var sql = new StringBuilder("SELECT r.run_key FROM runs r");
        foreach (var join in joins)
        {
            sql.Append('\n').Append(join);
        }

        sql.Append("\nWHERE ").AppendJoin("\n  AND ", conditions);
        sql.Append("\nORDER BY ").AppendJoin(", ", orderTerms);
        sql.Append("\nLIMIT ").Append(parameters.Add(limit)).Append(" OFFSET ").Append(parameters.Add(offset));
        return new SqlQuery(sql.ToString(), parameters.Values);
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

    // NaN is stored as value 0 with is_nan = 1. Like IEEE (and MLflow's file store), NaN is unequal to everything
    // and neither less nor greater than anything, so only != matches it.
    private static string MetricCondition(string alias, Comparison comparison, SqlParameterBag parameters)
    {
        var value = SqlComparison.Render($"{alias}.value", comparison.Comparator, comparison.Value, parameters);
        return comparison.Comparator == Comparator.NotEqual
            ? $"({alias}.is_nan = 1 OR {value})"
            : $"{alias}.is_nan = 0 AND {value}";
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
