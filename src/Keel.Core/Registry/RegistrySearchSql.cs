using System.Text;
using Keel.Core.Tracking.Search;

namespace Keel.Core.Registry;

/// <summary>
/// MLflow's search_registered_models and search_model_versions filters and order_by (SearchModelUtils,
/// SearchModelVersionUtils) as one parameterised, portable SELECT each. The filter syntax is the tracking
/// search's; which keys and comparators make sense is decided here.
/// </summary>
internal static class RegistrySearchSql
{
    public const string ModelColumns = "rm.model_id, rm.name, rm.creation_time, rm.last_updated_time, rm.description";

    public const string VersionColumns =
        "rm.name, mv.model_id, mv.version, mv.creation_time, mv.last_updated_time, mv.description, mv.user_id, mv.current_stage, " +
        "mv.source, mv.storage_location, mv.run_id, mv.status, mv.status_message, mv.run_link";

    public const string VersionTables = "model_versions mv JOIN registered_models rm ON rm.model_id = mv.model_id";

    private static readonly Target Models = new(
        Attributes: new Dictionary<string, Attribute>(StringComparer.Ordinal) { ["name"] = new("rm.name", Numeric: false, AllowsIn: false) },
        TagTable: "registered_model_tags",
        TagJoin: "{0}.model_id = rm.model_id",
        // "timestamp" is MLflow's older spelling of last_updated_timestamp.
        OrderKeys: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = "rm.name",
            ["timestamp"] = "rm.last_updated_time",
            ["last_updated_timestamp"] = "rm.last_updated_time",
            ["creation_timestamp"] = "rm.creation_time",
        },
        DefaultOrder: [],
        Tiebreakers: [("rm.name", true)]);

    private static readonly Target Versions = new(
        Attributes: new Dictionary<string, Attribute>(StringComparer.Ordinal)
        {
            ["name"] = new("rm.name", Numeric: false, AllowsIn: false),
            ["run_id"] = new("mv.run_id", Numeric: false, AllowsIn: true),
            ["source_path"] = new("mv.source", Numeric: false, AllowsIn: false),
            ["version_number"] = new("mv.version", Numeric: true, AllowsIn: false),
        },
        TagTable: "model_version_tags",
        TagJoin: "{0}.model_id = mv.model_id AND {0}.version = mv.version",
        OrderKeys: new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = "rm.name",
            ["version_number"] = "mv.version",
            ["creation_timestamp"] = "mv.creation_time",
            ["last_updated_timestamp"] = "mv.last_updated_time",
        },
        DefaultOrder: ["last_updated_timestamp DESC", "name ASC", "version_number DESC"],
        Tiebreakers: [("rm.name", true), ("mv.version", false)]);

    /// <param name="visible">A condition on <c>rm</c> that limits the search to the models the caller may read.</param>
    public static SqlQuery RegisteredModels(string? filter, IReadOnlyList<string>? orderBy, int limit, int offset, string? visible = null) =>
        Build(Models, $"SELECT {ModelColumns} FROM registered_models rm", filter, orderBy, limit, offset, visible);

    public static SqlQuery ModelVersions(string? filter, IReadOnlyList<string>? orderBy, int limit, int offset, string? visible = null) =>
        Build(Versions, $"SELECT {VersionColumns} FROM {VersionTables}", filter, orderBy, limit, offset, visible);

    private static SqlQuery Build(Target target, string select, string? filter, IReadOnlyList<string>? orderBy, int limit, int offset, string? visible)
    {
        var parameters = new SqlParameterBag();
        var conditions = SearchFilterParser.Parse(filter).Select((raw, i) => Condition(target, raw, $"t{i}", parameters)).ToList();
        if (visible is not null)
        {
            conditions.Add(visible);
        }

        var sql = new StringBuilder(select);
        if (conditions.Count > 0)
        {
            sql.Append("\nWHERE ").AppendJoin("\n  AND ", conditions);
        }

        sql.Append("\nORDER BY ").AppendJoin(", ", OrderTerms(target, orderBy is { Count: > 0 } ? orderBy : target.DefaultOrder));
        sql.Append("\nLIMIT ").Append(parameters.Add(limit)).Append(" OFFSET ").Append(parameters.Add(offset));
        return new SqlQuery(sql.ToString(), parameters.Values);
    }

    private static string Condition(Target target, RawComparison raw, string alias, SqlParameterBag parameters)
    {
        var key = SearchClauseRules.RequireKey(raw.Identifier);
        switch (raw.Identifier.Entity)
        {
            case null or "attribute" or "attributes":
                if (!target.Attributes.TryGetValue(key, out var attribute))
                {
                    throw KeelException.InvalidParameter(
                        $"Invalid attribute name: {key}. Valid attributes are {string.Join(", ", target.Attributes.Keys)} and tags.<key>.");
                }

                var allowed = attribute.Numeric ? ComparatorText.Numeric
                    : attribute.AllowsIn ? [.. ComparatorText.StringWithoutLists, Comparator.In]
                    : ComparatorText.StringWithoutLists;
                SearchClauseRules.RequireComparator(raw, allowed, $"attribute '{key}'");
                SearchClauseRules.RequireValue(raw, attribute.Numeric, $"attribute '{key}'");
                return SqlComparison.Render(attribute.Column, raw.Comparator, raw.Value, parameters, integerColumn: attribute.Numeric);

            case "tag" or "tags":
                SearchClauseRules.RequireComparator(raw, ComparatorText.StringWithoutLists, $"tag '{key}'");
                SearchClauseRules.RequireValue(raw, numeric: false, $"tag '{key}'");
                var keyParameter = parameters.Add(key);
                var value = SqlComparison.Render($"{alias}.value", raw.Comparator, raw.Value, parameters);
                return $"EXISTS (SELECT 1 FROM {target.TagTable} {alias} WHERE {string.Format(null, target.TagJoin, alias)} AND {alias}.key = {keyParameter} AND {value})";

            default:
                throw KeelException.InvalidParameter(
                    $"Invalid entity type '{raw.Identifier.Entity}' in '{raw.Identifier.Text}'. Valid entity types are attribute and tag (or attributes, tags).");
        }
    }

    private static List<string> OrderTerms(Target target, IReadOnlyList<string> orderBy)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in orderBy)
        {
            var (identifier, ascending) = OrderByParser.Parse(entry);
            if (identifier.Entity is not (null or "attribute" or "attributes") || !target.OrderKeys.TryGetValue(identifier.Key, out var column))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid order by key '{identifier.Text}' specified. Valid keys are {string.Join(", ", target.OrderKeys.Keys)}.");
            }

            if (!seen.Add(column))
            {
                throw KeelException.InvalidParameter($"`order_by` contains duplicate fields: [{string.Join(", ", orderBy)}]");
            }

            terms.Add($"{column} {(ascending ? "ASC" : "DESC")}");
        }

        // MLflow breaks ties by name ascending (then version descending), so pages are stable.
        terms.AddRange(target.Tiebreakers.Where(t => seen.Add(t.Column)).Select(t => $"{t.Column} {(t.Ascending ? "ASC" : "DESC")}"));
        return terms;
    }

    private sealed record Attribute(string Column, bool Numeric, bool AllowsIn);

    private sealed record Target(
        IReadOnlyDictionary<string, Attribute> Attributes,
        string TagTable,
        string TagJoin,
        IReadOnlyDictionary<string, string> OrderKeys,
        IReadOnlyList<string> DefaultOrder,
        IReadOnlyList<(string Column, bool Ascending)> Tiebreakers);
}
