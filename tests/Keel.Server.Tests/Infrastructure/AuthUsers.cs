using System.Net.Http.Headers;
using System.Net.Http.Json;
using static Keel.Server.Tests.Infrastructure.AuthTestSettings;

namespace Keel.Server.Tests.Infrastructure;

/// <summary>Users of an auth-on server, each with an API token (one password hash per user, not per request).</summary>
public sealed class AuthUsers(KeelServerFixture server)
{
    public static readonly AuthenticationHeaderValue AdminCredentials = Basic(Admin, AdminPassword);

    /// <summary>A new user with that workspace role; returns their name and a Bearer header.</summary>
    public async Task<(string Name, AuthenticationHeaderValue Auth)> CreateAsync(string role)
    {
        var name = $"{role}-{Guid.NewGuid():N}";
        using (var created = await SendAsync(HttpMethod.Post, "/api/keel/v1/users", AdminCredentials, new { name, password = AdminPassword, role }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var token = await SendAsync(HttpMethod.Post, "/api/keel/v1/tokens", Basic(name, AdminPassword), new { name = "test" });
        return (name, Bearer((string)(await JsonAsync(token, HttpStatusCode.Created))["secret"]!));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? credentials, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = credentials;
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await server.Http.SendAsync(request);
    }

    public async Task<JsonNode> JsonAsync(HttpMethod method, string path, AuthenticationHeaderValue? credentials, object? body = null,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, credentials, body);
        return await JsonAsync(response, expected);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<string> CreateExperimentAsync(AuthenticationHeaderValue credentials, string name) =>
        (string)(await JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/create", credentials, new { name }))["experiment_id"]!;

    public async Task CreateModelAsync(AuthenticationHeaderValue credentials, string name) =>
        await JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create", credentials, new { name });
}
