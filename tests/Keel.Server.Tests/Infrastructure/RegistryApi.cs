namespace Keel.Server.Tests.Infrastructure;

/// <summary>Shortcuts for the registry calls most tests need before the one they check.</summary>
public static class RegistryApi
{
    public static string UniqueName(string prefix = "model") => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<JsonNode> CreateModelAsync(this MlflowApi api, string name, object? extra = null) =>
        (await api.PostAsync("/registered-models/create", extra ?? new { name })).Ok().Json["registered_model"]!;

    public static async Task<JsonNode> CreateVersionAsync(this MlflowApi api, string name, string source = "s3://bucket/model", string? runId = null) =>
        (await api.PostAsync("/model-versions/create", new { name, source, run_id = runId })).Ok().Json["model_version"]!;

    public static async Task<JsonNode> GetVersionAsync(this MlflowApi api, string name, string version) =>
        (await api.GetAsync($"/model-versions/get?name={Uri.EscapeDataString(name)}&version={version}")).Ok().Json["model_version"]!;

    public static async Task<JsonNode> GetModelAsync(this MlflowApi api, string name) =>
        (await api.GetAsync($"/registered-models/get?name={Uri.EscapeDataString(name)}")).Ok().Json["registered_model"]!;

    public static async Task<JsonArray> EventsAsync(HttpClient http, string name)
    {
        var body = JsonNode.Parse(await http.GetStringAsync($"/api/keel/v1/registry/events?name={Uri.EscapeDataString(name)}"))!;
        return body["events"]?.AsArray() ?? [];
    }
}
