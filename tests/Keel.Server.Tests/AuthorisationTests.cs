using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using static Keel.Server.Tests.Infrastructure.AuthUsers;

namespace Keel.Server.Tests;

/// <summary>Roles, grants and the policy on every endpoint, on a server with authentication on.</summary>
public abstract class AuthorisationTests(KeelServerFixture server)
{
    // Mutating routes a workspace reader may call: searches sent as POST, a read-only verification, the caller's own
    // tokens, user management whose handlers refuse non-admins themselves, MLflow's unknown-path answer and the metrics
    // scrape (mapped for every method, read-only).
    private static readonly string[] ReaderMayCall =
    [
        "/experiments/search", "/runs/search", "/get-latest-versions", "/verify", "/api/keel/v1/tokens", "/api/keel/v1/users",
        "/users/", "/{**unknown}", "/metrics",
    ];

    private readonly AuthUsers _users = new(server);

    [Fact]
    public async Task EveryEndpoint_HasAPolicy_AndEveryMutatingRouteRefusesAReader()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var missing = endpoints.Where(e => e.Metadata.GetMetadata<KeelPolicy>() is null).Select(e => e.DisplayName).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a policy: " + string.Join(", ", missing));

        var (_, reader) = await _users.CreateAsync("reader");
        var refused = 0;
        foreach (var endpoint in endpoints)
        {
            var policy = endpoint.Metadata.GetMetadata<KeelPolicy>()!;
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            foreach (var method in (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["POST"]).Where(m => m is not ("GET" or "HEAD")))
            {
                if (policy.Kind != KeelPolicy.Access.Resource || policy.For(method) <= Keel.Core.Auth.Permission.Read)
                {
                    Assert.True(ReaderMayCall.Any(pattern.Contains),
                        $"{method} {pattern} lets a reader change things ({policy}); give it a stronger policy or list it here.");
                    continue;
                }

                var path = SamplePath(endpoint.RoutePattern);
                using var response = await _users.SendAsync(new HttpMethod(method), path, reader, new { });
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} ({policy}) answered {(int)response.StatusCode} to a reader");
                using var anonymous = await _users.SendAsync(new HttpMethod(method), path, null, new { });
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                refused++;
            }
        }

        Assert.True(refused > 60, $"only {refused} mutating routes checked");
    }

    [Fact]
    public async Task Forbidden_MlflowRoutesAnswerMlflowsBody_KeelRoutesProblemDetails()
    {
        var (_, reader) = await _users.CreateAsync("reader");
        var mlflow = await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/create", reader, new { name = "x" + Guid.NewGuid() }, expected: HttpStatusCode.Forbidden);
        Assert.Equal("PERMISSION_DENIED", (string)mlflow["error_code"]!);
        Assert.Contains("Permission denied", (string)mlflow["message"]!);

        using var keel = await _users.SendAsync(HttpMethod.Post, "/api/keel/v1/deployments", reader, new { name = "d" });
        Assert.Equal("application/problem+json", keel.Content.Headers.ContentType!.MediaType);
        Assert.Equal("PERMISSION_DENIED", (string)(await JsonAsync(keel, HttpStatusCode.Forbidden))["errorCode"]!);
    }

    [Theory]
    [InlineData("reader", true, false, false)]
    [InlineData("editor", true, true, false)]
    [InlineData("approver", true, true, false)]
    [InlineData("admin", true, true, true)]
    public async Task RoleMatrix_ReadEditManage_OnExperimentsModelsAndDeployments(string role, bool read, bool edit, bool manage)
    {
        var name = "matrix-" + Guid.NewGuid().ToString("N");
        var experiment = await _users.CreateExperimentAsync(AdminCredentials, name);
        await _users.CreateModelAsync(AdminCredentials, name);
        var (user, auth) = await _users.CreateAsync(role);

        // Each pair: an action needing the permission, and whether the role has it; a missing deployment still answers 404, not 403.
        (HttpMethod Method, string Path, object? Body, bool Allowed)[] cases =
        [
            (HttpMethod.Get, $"/api/2.0/mlflow/experiments/get?experiment_id={experiment}", null, read),
            (HttpMethod.Post, "/api/2.0/mlflow/experiments/set-experiment-tag", new { experiment_id = experiment, key = "k", value = "v" }, edit),
            (HttpMethod.Get, $"/api/2.0/mlflow/experiments/permissions/get?experiment_id={experiment}&username={user}", null, manage),
            (HttpMethod.Get, $"/api/2.0/mlflow/registered-models/get?name={name}", null, read),
            (HttpMethod.Post, "/api/2.0/mlflow/registered-models/set-tag", new { name, key = "k", value = "v" }, edit),
            (HttpMethod.Get, $"/api/2.0/mlflow/registered-models/permissions/get?name={name}&username={user}", null, manage),
            (HttpMethod.Get, $"/api/keel/v1/deployments/{name}", null, read),
            (HttpMethod.Patch, $"/api/keel/v1/deployments/{name}", new { model = "models:/none/1" }, edit),
            (HttpMethod.Delete, $"/api/keel/v1/deployments/{name}", null, manage),
        ];
        foreach (var (method, path, body, allowed) in cases)
        {
            using var response = await _users.SendAsync(method, path, auth, body);
            Assert.True(allowed == (response.StatusCode != HttpStatusCode.Forbidden), $"{role}: {method} {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task GrantOnOneExperiment_LetsAReaderEditOnlyThatOne_AndNoPermissionsHidesIt()
    {
        var prefix = "grant-" + Guid.NewGuid().ToString("N");
        var granted = await _users.CreateExperimentAsync(AdminCredentials, prefix + "-a");
        var other = await _users.CreateExperimentAsync(AdminCredentials, prefix + "-b");
        var hidden = await _users.CreateExperimentAsync(AdminCredentials, prefix + "-c");
        var (user, auth) = await _users.CreateAsync("reader");
        await _users.JsonAsync(HttpMethod.Put, $"/api/keel/v1/grants/experiments/{granted}/{user}", AdminCredentials, new { role = "editor" });
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/permissions/create", AdminCredentials,
            new { experiment_id = hidden, username = user, permission = "NO_PERMISSIONS" });

        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/create", auth, new { experiment_id = granted });
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/create", auth, new { experiment_id = other }, expected: HttpStatusCode.Forbidden);
        await _users.JsonAsync(HttpMethod.Get, $"/api/2.0/mlflow/experiments/get?experiment_id={hidden}", auth, expected: HttpStatusCode.Forbidden);

        var found = await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/search", auth, new { filter = $"name LIKE '{prefix}%'" });
        Assert.Equal([granted, other], found["experiments"]!.AsArray().Select(e => (string)e!["experiment_id"]!).Order());
        var runs = await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/runs/search", auth, new { experiment_ids = new[] { hidden } });
        Assert.Empty(runs["runs"]?.AsArray() ?? []);
    }

    [Fact]
    public async Task Searches_FilterInSql_SoPagesStayFull()
    {
        var prefix = "page-" + Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await _users.CreateExperimentAsync(AdminCredentials, $"{prefix}-{i}"));
            await _users.CreateModelAsync(AdminCredentials, $"{prefix}-{i}");
        }

        var (user, auth) = await _users.CreateAsync("reader");
        foreach (var i in new[] { 0, 2, 4 })
        {
            await _users.JsonAsync(HttpMethod.Put, $"/api/keel/v1/grants/experiments/{ids[i]}/{user}", AdminCredentials, new { role = "none" });
            await _users.JsonAsync(HttpMethod.Put, $"/api/keel/v1/grants/registered-models/{prefix}-{i}/{user}", AdminCredentials, new { role = "none" });
        }

        var experiments = await PageAllAsync(auth, "/api/2.0/mlflow/experiments/search", "experiments", "experiment_id", $"name LIKE '{prefix}%'");
        Assert.Equal([ids[1], ids[3], ids[5]], experiments.Order());
        var models = await PageAllAsync(auth, "/api/2.0/mlflow/registered-models/search", "registered_models", "name", $"name LIKE '{prefix}%'");
        Assert.Equal([$"{prefix}-1", $"{prefix}-3", $"{prefix}-5"], models.Order());

        // A user with no workspace role sees only what a grant opens.
        var (outsider, outsiderAuth) = await _users.CreateAsync("none");
        await _users.JsonAsync(HttpMethod.Put, $"/api/keel/v1/grants/experiments/{ids[2]}/{outsider}", AdminCredentials, new { role = "reader" });
        Assert.Equal([ids[2]], await PageAllAsync(outsiderAuth, "/api/2.0/mlflow/experiments/search", "experiments", "experiment_id", $"name LIKE '{prefix}%'"));
    }

    [Fact]
    public async Task MlflowPermissionApi_RoundTrip_AndCreatorsManageWhatTheyCreate()
    {
        var (editor, editorAuth) = await _users.CreateAsync("editor");
        var (other, otherAuth) = await _users.CreateAsync("reader");
        var name = "perm-" + Guid.NewGuid().ToString("N");
        var experiment = await _users.CreateExperimentAsync(editorAuth, name);
        await _users.CreateModelAsync(editorAuth, name);

        // The creator has MANAGE: it may hand out permissions; the other user may not.
        var created = await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/permissions/create", editorAuth,
            new { experiment_id = experiment, username = other, permission = "READ" });
        Assert.Equal("READ", (string)created["experiment_permission"]!["permission"]!);
        Assert.Equal(experiment, (string)created["experiment_permission"]!["experiment_id"]!);
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/permissions/create", editorAuth,
            new { experiment_id = experiment, username = other, permission = "READ" }, expected: HttpStatusCode.BadRequest);
        await _users.JsonAsync(HttpMethod.Patch, "/api/2.0/mlflow/experiments/permissions/update", editorAuth,
            new { experiment_id = experiment, username = other, permission = "EDIT" });
        var got = await _users.JsonAsync(HttpMethod.Get, $"/api/2.0/mlflow/experiments/permissions/get?experiment_id={experiment}&username={other}", editorAuth);
        Assert.Equal("EDIT", (string)got["experiment_permission"]!["permission"]!);
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/set-experiment-tag", otherAuth, new { experiment_id = experiment, key = "k", value = "v" });
        await _users.JsonAsync(HttpMethod.Delete, "/api/2.0/mlflow/experiments/permissions/delete", editorAuth, new { experiment_id = experiment, username = other });
        await _users.JsonAsync(HttpMethod.Get, $"/api/2.0/mlflow/experiments/permissions/get?experiment_id={experiment}&username={other}", editorAuth,
            expected: HttpStatusCode.NotFound);
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/set-experiment-tag", otherAuth,
            new { experiment_id = experiment, key = "k", value = "v" }, expected: HttpStatusCode.Forbidden);

        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/permissions/create", editorAuth,
            new { name, username = other, permission = "MANAGE" });
        var model = await _users.JsonAsync(HttpMethod.Get, $"/api/2.0/mlflow/registered-models/permissions/get?name={name}&username={other}", otherAuth);
        Assert.Equal("MANAGE", (string)model["registered_model_permission"]!["permission"]!);
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/permissions/create", otherAuth,
            new { name, username = editor, permission = "BOGUS" }, expected: HttpStatusCode.BadRequest);

        // A renamed model keeps its grants.
        await _users.JsonAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/rename", otherAuth, new { name, new_name = name + "-renamed" });
        await _users.JsonAsync(HttpMethod.Get, $"/api/2.0/mlflow/registered-models/permissions/get?name={name}-renamed&username={other}", otherAuth);

        var mine = await _users.JsonAsync(HttpMethod.Get, "/api/keel/v1/grants", otherAuth);
        Assert.All(mine["grants"]!.AsArray(), g => Assert.Equal(other, (string)g!["user"]!));
    }

    private async Task<List<string>> PageAllAsync(AuthenticationHeaderValue auth, string path, string list, string key, string filter)
    {
        var items = new List<string>();
        string? token = null;
        do
        {
            var query = $"{path}?filter={Uri.EscapeDataString(filter)}&max_results=2" + (token is null ? "" : $"&page_token={Uri.EscapeDataString(token)}");
            var page = await _users.JsonAsync(HttpMethod.Get, query, auth);
            var got = page[list]?.AsArray().Select(e => (string)e![key]!).ToList() ?? [];
            token = (string?)page["next_page_token"];
            // Filtering in SQL keeps every page but the last full.
            Assert.True(got.Count == 2 || token is null, $"a short page ({got.Count}) before the end");
            items.AddRange(got);
        }
        while (token is not null);

        return items;
    }

    private static string SamplePath(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "1",
        }))));
}

public sealed class AuthorisationTestsOnSqlite(AuthServerFixture server) : AuthorisationTests(server), IClassFixture<AuthServerFixture>;

public sealed class AuthorisationTestsOnPostgres(PostgresAuthServerFixture server) : AuthorisationTests(server), IClassFixture<PostgresAuthServerFixture>;
