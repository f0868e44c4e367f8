using System.Text.Json.Nodes;

namespace Keel.Serving.Tests;

/// <summary>Reads a model's whole prediction log through the API, page by page.</summary>
internal static class PredictionLogReader
{
    public static async Task<List<JsonNode>> ReadAllAsync(HttpClient http, string model, int pageSize = 10_000)
    {
        var logged = new List<JsonNode>();
        long? after = null;
        do
        {
            var page = JsonNode.Parse(await http.GetStringAsync(
                $"/api/keel/v1/predictions?model={model}&max_results={pageSize}" + (after is null ? "" : $"&after={after}")))!.AsObject();
            // An empty page leaves the list out, as MLflow's answers leave out empty repeated fields.
            logged.AddRange(page["predictions"]?.AsArray().Select(p => p!) ?? []);
            after = (long?)page["next_after"];
        }
        while (after is not null);

        return logged;
    }
}
