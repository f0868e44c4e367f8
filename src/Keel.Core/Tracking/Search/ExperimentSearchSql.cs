using System.Text;

namespace Keel.Core.Tracking.Search;

/// <summary>Turns a search_experiments request into one SELECT of <c>experiments.experiment_id</c>, ordered and paged.</summary>
internal static class ExperimentSearchSql
{
    /// <param name="visible">A condition on <c>e</c> that limits the search to what the caller may read.</param>
    public static SqlQuery Build(ViewType view, string? filter, IReadOnlyList<string>? orderBy, int limit, int offset, string? visible = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var comparisons = ExperimentSearchGrammar.ParseFilter(filter);
        var ordering = ExperimentSearchGrammar.ParseOrderBy(orderBy);

        var parameters = new SqlParameterBag();
        var conditions = new List<string>();
        if (ViewTypeSql.Condition(view, "e") is { } lifecycle)
        {
            conditions.Add(lifecycle);
        }

        if (visible is not null)
        {
            conditions.Add(visible);
        }

        for (var i = 0; i < comparisons.Count; i++)
        {
            conditions.Add(Condition(comparisons[i], $"t{i}", parameters));
        }

        var sql = new StringBuilder("SELECT e.experiment_id FROM experiments e");
        if (conditions.Count > 0)
        {
            sql.Append("\nWHERE ").AppendJoin("\n  AND ", conditions);
        }

        sql.Append("\nORDER BY ").AppendJoin(", ", OrderTerms(ordering));
        sql.Append("\nLIMIT ").Append(parameters.Add(limit)).Append(" OFFSET ").Append(parameters.Add(offset));
        return new SqlQuery(sql.ToString(), parameters.Values);
    }

    private static string Condition(Comparison comparison, string alias, SqlParameterBag parameters)
    {
        if (comparison.Entity == SearchEntity.Attribute)
        {
            // Keys were checked against the grammar's whitelist, and are also the column names.
            var numeric = ExperimentSearchGrammar.IsNumeric(comparison.Key);
            return SqlComparison.Render($"e.{comparison.Key}", comparison.Comparator, comparison.Value, parameters, numeric);
        }

        var key = parameters.Add(comparison.Key);
        var value = SqlComparison.Render($"{alias}.value", comparison.Comparator, comparison.Value, parameters);
        return $"EXISTS (SELECT 1 FROM experiment_tags {alias} WHERE {alias}.experiment_id = e.experiment_id AND {alias}.key = {key} AND {value})";
    }

    private static List<string> OrderTerms(IReadOnlyList<OrderByClause> ordering)
    {
        if (ordering.Count == 0)
        {
            return ["e.creation_time DESC", "e.experiment_id ASC"];
        }

        var terms = ordering.Select(c => $"e.{c.Key} {(c.Ascending ? "ASC" : "DESC")}").ToList();
        // MLflow breaks ties of a caller's ordering by experiment id descending (its default ordering uses ascending).
        if (!ordering.Any(c => c.Key == ExperimentSearchGrammar.ExperimentId))
        {
            terms.Add("e.experiment_id DESC");
        }

        return terms;
    }
}
