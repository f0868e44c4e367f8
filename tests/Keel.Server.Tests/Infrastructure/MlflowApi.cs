using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Keel.Server.Tests.Infrastructure;

public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body)
{
    public JsonNode Json => Body ?? throw new InvalidOperationException("No body");

    public ApiResponse Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200, got {(int)Status}: {Body?.ToJsonString()}");
        return this;
    }

    /// <summary>Asserts MLflow's error shape: the status and {"error_code": ..., "message": ...}.</summary>
    public string Error(HttpStatusCode status, string errorCode)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Body?.ToJsonString()}");
        Assert.Equal(errorCode, (string?)Body?["error_code"]);
        var message = (string?)Body?["message"];
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}

/// <summary>Speaks MLflow's REST protocol as raw JSON, so the tests check the wire format, not a client's view of it.</summary>
public sealed class MlflowApi(HttpClient http)
{
    public const string Prefix = "/api/2.0/mlflow";

    public async Task<ApiResponse> PostAsync(string path, object body)
    {
        using var response = await http.PostAsJsonAsync(Prefix + path, body);
        return await ReadAsync(response);
    }

    public async Task<ApiResponse> PostRawAsync(string path, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(Prefix + path, content);
        return await ReadAsync(response);
    }

    /// <summary>Any method with a JSON body, as MLflow's Python client sends PATCH and DELETE requests.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, Prefix + path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request);
        return await ReadAsync(response);
    }

    public async Task<ApiResponse> GetAsync(string pathAndQuery)
    {
        using var response = await http.GetAsync(Prefix + pathAndQuery);
        return await ReadAsync(response);
    }

    public async Task<string> CreateExperimentAsync(string? name = null) =>
        (string)(await PostAsync("/experiments/create", new { name = name ?? "exp-" + Guid.NewGuid().ToString("N") })).Ok().Json["experiment_id"]!;

    public async Task<string> CreateRunAsync(string experimentId, object? extra = null)
    {
        var body = extra ?? new { experiment_id = experimentId };
        return (string)(await PostAsync("/runs/create", body)).Ok().Json["run"]!["info"]!["run_id"]!;
    }

    public async Task<JsonNode> GetRunAsync(string runId) => (await GetAsync($"/runs/get?run_id={runId}")).Ok().Json["run"]!;

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
