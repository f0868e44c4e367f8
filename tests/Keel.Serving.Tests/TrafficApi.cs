using System.Text.Json.Nodes;

namespace Keel.Serving.Tests;

/// <summary>Reads <c>GET /api/keel/v1/deployments/{name}/traffic</c>.</summary>
internal static class TrafficApi
{
    public static async Task<JsonNode> ReadAsync(HttpClient http, string deployment, int minutes = 60) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/keel/v1/deployments/{deployment}/traffic?minutes={minutes}"))!;

    /// <summary>The minutes of the last hour; the JSON leaves the list out while it is empty, as MLflow's does.</summary>
    public static async Task<JsonArray> MinutesAsync(HttpClient http, string deployment) =>
        (await ReadAsync(http, deployment))["minutes"]?.AsArray() ?? [];

    /// <summary>Answered and failed requests per model version over the last hour.</summary>
    public static async Task<Dictionary<long, (long Requests, long Errors)>> TotalsAsync(HttpClient http, string deployment) =>
        (await MinutesAsync(http, deployment))
            .GroupBy(m => (long)m!["model_version"]!)
            .ToDictionary(g => g.Key, g => (g.Sum(m => (long)m!["requests"]!), g.Sum(m => (long)m!["errors"]!)));
}
