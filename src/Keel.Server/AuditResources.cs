using System.Text.Json;

namespace Keel.Server;

/// <summary>
/// Best effort at naming what a request acts on, as "kind/id": the kind from the route's path, the id from its route
/// values or, for MLflow's routes that carry everything in the body, the JSON body's well-known fields.
/// </summary>
internal static class AuditResources
{
    // Most specific first: "/model-versions" before anything a model's name could be mistaken for.
    private static readonly (string Segment, string Kind)[] Kinds =
    [
        ("model-versions", "model-version"), ("registered-models", "model"), ("runs", "run"), ("metrics", "run"),
        ("experiments", "experiment"), ("deployments", "deployment"), ("predictions", "deployment"), ("data", "dataset"),
        ("monitors", "monitor"), ("webhooks", "webhook"), ("users", "user"), ("tokens", "token"), ("artifacts", "artifact"),
    ];

    private static readonly string[] RouteIds = ["name", "webhookId", "tokenId", "path"];

    public static string? Find(string pattern, RouteValueDictionary routeValues, ReadOnlyMemory<byte>? body)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kind = Kinds.FirstOrDefault(k => segments.Contains(k.Segment, StringComparer.Ordinal)).Kind;
        foreach (var key in RouteIds)
        {
            if (routeValues.TryGetValue(key, out var value) && value?.ToString() is { Length: > 0 } id)
            {
                return $"{kind ?? "resource"}/{id}";
            }
        }

        return body is { } json ? FromBody(kind, json) : null;
    }

    private static string? FromBody(string? kind, ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var root = document.RootElement;
            string? Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? v.ToString()
                : null;

            return kind switch
            {
                "model-version" when Field("name") is { } model => Field("version") is { } version ? $"model/{model}/version/{version}" : $"model/{model}",
                "model" when Field("name") is { } model => $"model/{model}",
                "experiment" when (Field("experiment_id") ?? Field("name")) is { } experiment => $"experiment/{experiment}",
                "user" when (Field("username") ?? Field("name")) is { } user => $"user/{user}",
                "webhook" when Field("id") is { } webhook => $"webhook/{webhook}",
                _ => (Field("run_id") ?? Field("run_uuid")) is { } run ? $"run/{run}"
                    : Field("experiment_id") is { } experiment ? $"experiment/{experiment}"
                    : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
