using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>A runs/search query and how to compute its right answer from the generated data.</summary>
internal sealed record SearchQuery(
    string Name,
    string Filter,
    string OrderBy,
    Func<SearchRun, bool> Matches,
    Func<IEnumerable<SearchRun>, IEnumerable<string>> ExpectedOrderValues,
    Func<JsonNode, string> ReturnedOrderValue,
    Target Target)
{
    public const int PageSize = 100;

    public static SearchQuery ByMetric { get; } = new(
        "search: metric filter, metric order",
        "metrics.m1 > 0.25 and params.p1 = 'a'",
        "metrics.m2 DESC",
        r => r.Metrics["m1"] > 0.25 && r.Params["p1"] == "a",
        runs => runs.OrderByDescending(r => r.Metrics["m2"]).Select(r => Format(r.Metrics["m2"])),
        run => Format(Find(run, "metrics", "m2").GetValue<double>()),
        Baseline.SearchP95);

    public static SearchQuery ByTag { get; } = new(
        "search: tag LIKE filter, param order",
        "tags.team LIKE 'vision%'",
        "params.p2 ASC",
        r => r.Tags["team"].StartsWith("vision", StringComparison.Ordinal),
        runs => runs.Select(r => r.Params["p2"]).Order(StringComparer.Ordinal),
        run => Find(run, "params", "p2").GetValue<string>(),
        Baseline.SearchByTagP95);

    public byte[] Body(string experimentId, int maxResults = PageSize, string? pageToken = null)
    {
        var body = new Dictionary<string, object>
        {
            ["experiment_ids"] = new[] { experimentId },
            ["filter"] = Filter,
            ["order_by"] = new[] { OrderBy },
            ["max_results"] = maxResults,
        };
        if (pageToken is not null)
        {
            body["page_token"] = pageToken;
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    /// <summary>The order-by values of the first page MLflow semantics require (ties may come in any order, values may not).</summary>
    public List<string> ExpectedFirstPage(IEnumerable<SearchRun> runs) =>
        ExpectedOrderValues(runs.Where(Matches)).Take(PageSize).ToList();

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static JsonNode Find(JsonNode run, string section, string key) =>
        run["data"]?[section]?.AsArray().FirstOrDefault(kv => kv?["key"]?.GetValue<string>() == key)?["value"]
        ?? throw new BenchmarkException($"A returned run has no {section} '{key}'.");
}
