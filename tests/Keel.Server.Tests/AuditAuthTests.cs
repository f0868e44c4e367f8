using System.Net.Http.Headers;
using System.Text;
using static Keel.Server.Tests.Infrastructure.AuthTestSettings;

namespace Keel.Server.Tests;

/// <summary>The audit trail on a server with authentication on: sign-in attempts, and who may read the trail.</summary>
public abstract class AuditAuthTests(KeelServerFixture server)
{
    private const string Search = "/api/2.0/mlflow/experiments/search?max_results=1";

    [Fact]
    public async Task FailedAndSuccessfulSignIns_AreRecorded()
    {
        var user = await CreateUserAsync(admin: false);
        var wrong = await SendAsync(HttpMethod.Get, Search, Basic(user, AdminPassword + "x"));
        var unknownToken = await SendAsync(HttpMethod.Get, Search, Bearer("keel_" + Guid.NewGuid().ToString("N")));
        var right = await SendAsync(HttpMethod.Get, Search, Basic(user, AdminPassword));

        var entries = await ListAsync($"resource=user/{user}");
        var failed = Assert.Single(entries, e => (string)e["request_id"]! == wrong);
        Assert.Equal("SIGN-IN Basic", (string)failed["action"]!);
        Assert.Equal(user, (string)failed["actor"]!);
        Assert.Equal(401, (int)failed["outcome"]!);
        var succeeded = Assert.Single(entries, e => (string)e["request_id"]! == right);
        Assert.Equal(200, (int)succeeded["outcome"]!);

        var bearer = Assert.Single(await ListAsync("action=SIGN-IN%20Bearer&actor=anonymous"), e => (string)e["request_id"]! == unknownToken);
        Assert.Equal(401, (int)bearer["outcome"]!);
    }

    [Fact]
    public async Task CachedCredential_IsNotASecondSignIn_ButItsMutationIsRecordedUnderTheUser()
    {
        var user = await CreateUserAsync(admin: false);
        await SendAsync(HttpMethod.Get, Search, Basic(user, AdminPassword));
        var mutation = await SendAsync(HttpMethod.Post, "/api/keel/v1/tokens", Basic(user, AdminPassword), """{"name": "ci"}""");

        var entries = await ListAsync($"actor={user}");
        Assert.Single(entries, e => (string)e["action"]! == "SIGN-IN Basic");
        var created = Assert.Single(entries, e => (string)e["request_id"]! == mutation);
        Assert.Equal("POST /api/keel/v1/tokens", (string)created["action"]!);
        Assert.Equal(201, (int)created["outcome"]!);
    }

    [Fact]
    public async Task NonAdmins_AndTheUnauthenticated_CannotReadTheTrail()
    {
        var user = await CreateUserAsync(admin: false);
        foreach (var path in new[] { "/api/keel/v1/audit", "/api/keel/v1/audit/verify" })
        {
            using var asUser = await RawAsync(HttpMethod.Get, path, Basic(user, AdminPassword));
            Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
            using var anonymous = await RawAsync(HttpMethod.Get, path, null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            using var asAdmin = await RawAsync(HttpMethod.Get, path, Basic(Admin, AdminPassword));
            Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        }
    }

    [Fact]
    public async Task UnauthenticatedMutation_IsRecordedAsAnonymous_WhateverItClaims()
    {
        var id = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/create")
        {
            Content = new StringContent("""{"name": "x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Keel-User", "admin");
        request.Headers.Add("X-Request-Id", id);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var entry = Assert.Single(await ListAsync("actor=anonymous&action=POST%20/api/2.0/mlflow/experiments/create"), e => (string)e["request_id"]! == id);
        Assert.Equal(401, (int)entry["outcome"]!);
    }

    private async Task<string> CreateUserAsync(bool admin)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..10];
        await SendAsync(HttpMethod.Post, "/api/keel/v1/users", Basic(Admin, AdminPassword),
            $$"""{"name": "{{name}}", "password": "{{AdminPassword}}", "is_admin": {{(admin ? "true" : "false")}}}""");
        return name;
    }

    private async Task<string> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? auth, string? body = null)
    {
        var id = Guid.NewGuid().ToString("N");
        using var response = await RawAsync(method, path, auth, body, id);
        return id;
    }

    private async Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, AuthenticationHeaderValue? auth, string? body = null, string? requestId = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = auth;
        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await server.Http.SendAsync(request);
    }

    private async Task<List<JsonNode>> ListAsync(string query)
    {
        using var response = await RawAsync(HttpMethod.Get, "/api/keel/v1/audit?max_results=1000&" + query, Basic(Admin, AdminPassword));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return [.. JsonNode.Parse(text)!["entries"]!.AsArray().Select(e => e!)];
    }
}

public sealed class AuditAuthTestsOnSqlite(AuthServerFixture server) : AuditAuthTests(server), IClassFixture<AuthServerFixture>;

public sealed class AuditAuthTestsOnPostgres(PostgresAuthServerFixture server) : AuditAuthTests(server), IClassFixture<PostgresAuthServerFixture>;
