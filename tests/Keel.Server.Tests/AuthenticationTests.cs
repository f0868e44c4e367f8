using System.Net.Http.Headers;
using System.Net.Http.Json;
using Keel.Core.Auth;
using Keel.Core.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using static Keel.Server.Tests.Infrastructure.AuthTestSettings;

namespace Keel.Server.Tests;

/// <summary>A server started with authentication on: who gets in, with what, and who is recorded as acting.</summary>
public abstract class AuthenticationTests(KeelServerFixture server)
{
    private static readonly string[] PublicPaths = ["/health", "/health/live", "/version"];

    [Fact]
    public async Task EveryMappedRoute_WithoutCredentials_Answers401WithAChallenge()
    {
        // Enumerated from the running app, so a route added later is covered without editing this test.
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var checkedRoutes = 0;
        foreach (var endpoint in endpoints)
        {
            var path = SamplePath(endpoint.RoutePattern);
            if (PublicPaths.Contains(path))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                using var response = await server.Http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
                Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
                checkedRoutes++;
            }
        }

        // Every feature's routes are in there, not just a few.
        Assert.True(checkedRoutes > 100, $"only {checkedRoutes} routes");
        foreach (var path in PublicPaths)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/ui/static/keel.css")).StatusCode);
    }

    [Fact]
    public async Task Unauthenticated_MlflowRoutesAnswerPlainText_KeelRoutesProblemDetails()
    {
        using var mlflow = await server.Http.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1");
        Assert.Equal(HttpStatusCode.Unauthorized, mlflow.StatusCode);
        Assert.StartsWith("text/plain", mlflow.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("You are not authenticated.", await mlflow.Content.ReadAsStringAsync());

        using var keel = await server.Http.GetAsync("/api/keel/v1/deployments");
        Assert.Equal(HttpStatusCode.Unauthorized, keel.StatusCode);
        Assert.Equal("application/problem+json", keel.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await keel.Content.ReadAsStringAsync())!;
        Assert.Equal("UNAUTHENTICATED", (string)problem["errorCode"]!);
        Assert.Equal(401, (int)problem["status"]!);
    }

    [Fact]
    public async Task Basic_RightPasswordIsLetIn_WrongPasswordOrUnknownUserIsNot()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Basic(Admin, AdminPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Basic(Admin, AdminPassword + "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Basic("nobody", AdminPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", new AuthenticationHeaderValue("Basic", "not base64!"))).StatusCode);
    }

    [Fact]
    public async Task Token_IsShownOnce_Works_AndStopsWorkingWhenRevoked()
    {
        var user = await CreateUserAsync();
        var created = await JsonAsync(await SendAsync(HttpMethod.Post, "/api/keel/v1/tokens", Basic(user, AdminPassword), new { name = "ci" }), HttpStatusCode.Created);
        var secret = (string)created["secret"]!;
        var id = (string)created["token"]!["id"]!;
        Assert.StartsWith("keel_", secret);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Bearer(secret))).StatusCode);
        using var listResponse = await SendAsync(HttpMethod.Get, "/api/keel/v1/tokens", Bearer(secret));
        var listed = await listResponse.Content.ReadAsStringAsync();
        Assert.Contains(id, listed);
        Assert.DoesNotContain(secret, listed);
        Assert.NotNull(JsonNode.Parse(listed)!["tokens"]![0]!["last_used_time"]);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/keel/v1/tokens/{id}", Basic(user, AdminPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Bearer(secret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1", Bearer(secret + "x"))).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_Answers401()
    {
        var store = server.Services.GetRequiredService<AuthStore>();
        var user = await store.GetUserAsync(Admin);
        var created = await store.CreateTokenAsync(user.Id, "short", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/keel/v1/tokens", Bearer(created.Secret))).StatusCode);

        // Moves the expiry into the past rather than sleeping past it, so a slow machine cannot make this flaky.
        await server.Services.GetRequiredService<WriteQueue>().ExecuteAsync(ctx => ctx.Execute(
            "UPDATE api_tokens SET expiry_time = @p1 WHERE token_id = @p0", created.Token.Id, DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/api/keel/v1/tokens", Bearer(created.Secret))).StatusCode);
    }

    [Fact]
    public async Task TheAuthenticatedUserIsTheActor_AndAClaimedXKeelUserIsIgnored()
    {
        var name = "auth-actor-" + Guid.NewGuid().ToString("N");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create") { Content = JsonContent.Create(new { name }) })
        {
            request.Headers.Authorization = Basic(Admin, AdminPassword);
            request.Headers.Add("X-Keel-User", "mallory");
            (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        using var events = await SendAsync(HttpMethod.Get, $"/api/keel/v1/registry/events?name={name}", Basic(Admin, AdminPassword));
        var body = await JsonAsync(events, HttpStatusCode.OK);
        Assert.Equal(Admin, (string)body["events"]![0]!["actor"]!);
    }

    [Fact]
    public async Task OnlyAnAdminManagesUsers_AUserChangesOnlyTheirOwnPassword()
    {
        var user = await CreateUserAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/keel/v1/users", Basic(user, AdminPassword),
            new { name = "other-" + Guid.NewGuid().ToString("N"), password = AdminPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/api/keel/v1/users", Basic(user, AdminPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Put, $"/api/keel/v1/users/{Admin}/password", Basic(user, AdminPassword),
            new { password = "a brand new password" })).StatusCode);

        const string newPassword = "a brand new password";
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Put, $"/api/keel/v1/users/{user}/password", Basic(user, AdminPassword),
            new { password = newPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/keel/v1/tokens", Basic(user, newPassword))).StatusCode);

        var list = await JsonAsync(await SendAsync(HttpMethod.Get, "/api/keel/v1/users", Basic(Admin, AdminPassword)), HttpStatusCode.OK);
        Assert.Contains(list["users"]!.AsArray(), u => (string)u!["name"]! == user && !(bool)u["is_admin"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/keel/v1/users/{user}", Basic(Admin, AdminPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, $"/api/keel/v1/users/{user}", Basic(Admin, AdminPassword))).StatusCode);
    }

    [Fact]
    public async Task WeakPasswordOrDuplicateUser_IsRefused_AndNothingChanges()
    {
        var weak = await SendAsync(HttpMethod.Post, "/api/keel/v1/users", Basic(Admin, AdminPassword), new { name = "weak-" + Guid.NewGuid().ToString("N"), password = "short" });
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)(await JsonAsync(weak, HttpStatusCode.BadRequest))["errorCode"]!);

        var user = await CreateUserAsync();
        var duplicate = await SendAsync(HttpMethod.Post, "/api/keel/v1/users", Basic(Admin, AdminPassword), new { name = user, password = "another good password" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/keel/v1/tokens", Basic(user, AdminPassword))).StatusCode);
    }

    [Fact]
    public async Task Bootstrap_NeverResetsAnExistingPassword()
    {
        var store = server.Services.GetRequiredService<AuthStore>();
        Assert.False(await store.EnsureUserAsync(Admin, "a different admin password", isAdmin: true));
        Assert.Null(await store.CheckPasswordAsync(Admin, "a different admin password"));
        Assert.NotNull(await store.CheckPasswordAsync(Admin, AdminPassword));
    }

    [Fact]
    public async Task MlflowUserRoutes_CreateGetUpdateDelete()
    {
        var name = "mlflow-" + Guid.NewGuid().ToString("N");
        var admin = Basic(Admin, AdminPassword);
        var created = await JsonAsync(await SendAsync(HttpMethod.Post, "/api/2.0/mlflow/users/create", admin, new { username = name, password = AdminPassword }), HttpStatusCode.OK);
        Assert.Equal(name, (string)created["user"]!["username"]!);
        Assert.False((bool)created["user"]!["is_admin"]!);

        var duplicate = await JsonAsync(await SendAsync(HttpMethod.Post, "/api/2.0/mlflow/users/create", admin, new { username = name, password = AdminPassword }), HttpStatusCode.BadRequest);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", (string)duplicate["error_code"]!);

        (await SendAsync(HttpMethod.Patch, "/api/2.0/mlflow/users/update-admin", admin, new { username = name, is_admin = true })).EnsureSuccessStatusCode();
        (await SendAsync(HttpMethod.Patch, "/api/2.0/mlflow/users/update-password", admin, new { username = name, password = "yet another password" })).EnsureSuccessStatusCode();
        var got = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/2.0/mlflow/users/get?username={name}", Basic(name, "yet another password")), HttpStatusCode.OK);
        Assert.True((bool)got["user"]!["is_admin"]!);

        (await SendAsync(HttpMethod.Delete, "/api/2.0/mlflow/users/delete", admin, new { username = name })).EnsureSuccessStatusCode();
        var missing = await JsonAsync(await SendAsync(HttpMethod.Get, $"/api/2.0/mlflow/users/get?username={name}", admin), HttpStatusCode.NotFound);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string)missing["error_code"]!);
    }

    private async Task<string> CreateUserAsync()
    {
        var name = "user-" + Guid.NewGuid().ToString("N");
        using var response = await SendAsync(HttpMethod.Post, "/api/keel/v1/users", Basic(Admin, AdminPassword), new { name, password = AdminPassword });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return name;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue credentials, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = credentials;
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await server.Http.SendAsync(request);
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    // Any value fits a parameter here: authentication answers before routing data is ever looked at.
    private static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "1",
        }))));
}

public sealed class AuthenticationTestsOnSqlite(AuthServerFixture server) : AuthenticationTests(server), IClassFixture<AuthServerFixture>;

public sealed class AuthenticationTestsOnPostgres(PostgresAuthServerFixture server) : AuthenticationTests(server), IClassFixture<PostgresAuthServerFixture>;
