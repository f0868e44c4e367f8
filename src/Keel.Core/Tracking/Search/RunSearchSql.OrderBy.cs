namespace Keel.Core.Tracking.Search;

internal static partial class RunSearchSql
{
    /// <summary>
    /// ORDER BY terms. Each metric, param or tag key gets a LEFT JOIN; a leading CASE term puts runs without the key
    /// last in both directions (and NaN metrics after real values but before missing ones), as MLflow's SQL store does.
    /// </summary>
    private static List<string> OrderTerms(IReadOnlyList<OrderByClause> ordering, SqlParameterBag parameters, List<string> joins)
    {
        var terms = new List<string>();
        for (var i = 0; i < ordering.Count; i++)
        {
            var clause = ordering[i];
            var direction = clause.Ascending ? "ASC" : "DESC";
            if (clause.Entity == SearchEntity.Attribute)
            {
                var column = "r." + RunAttributes.Column(clause.Key);
                if (clause.Key == RunAttributes.EndTime)
                {
                    terms.Add($"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END");
                }

                terms.Add($"{column} {direction}");
                continue;
            }

            var alias = $"o{i}";
            var table = KeyTable(clause.Entity);
            joins.Add($"LEFT JOIN {table} {alias} ON {alias}.run_key = r.run_key AND {alias}.key = {parameters.Add(clause.Key)}");
            terms.Add(clause.Entity == SearchEntity.Metric
                ? $"CASE WHEN {alias}.run_key IS NULL THEN 2 WHEN {alias}.is_nan THEN 1 ELSE 0 END"
                : $"CASE WHEN {alias}.run_key IS NULL THEN 1 ELSE 0 END");
            terms.Add($"{alias}.value {direction}");
        }

        // MLflow's tie-breakers: newest first unless the caller ordered by start time, then run id.
        if (!ordering.Any(c => c.Entity == SearchEntity.Attribute && c.Key == RunAttributes.StartTime))
        {
            terms.Add("r.start_time DESC");
        }

        if (!ordering.Any(c => c.Entity == SearchEntity.Attribute && c.Key == RunAttributes.RunId))
        {
            terms.Add("r.run_uuid ASC");
        }

        return terms;
    }
}
