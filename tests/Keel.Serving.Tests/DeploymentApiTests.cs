using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>The deployments API: definitions, their revision history, rollback, and the errors a caller can make.</summary>
public abstract class DeploymentApiTests(KeelServerFixture server)
{
    private const string Route = "/api/keel/v1/deployments";

    private static string NewName() => "dep-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body = null, string? user = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (user is not null)
        {
            request.Headers.Add("X-Keel-User", user);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task Create_Update_Rollback_AppendRevisions_WithActorAndSpec()
    {
        var name = NewName();
        var created = await SendAsync(HttpMethod.Post, Route, new { name, model = "models:/flights@champion" }, "ana", HttpStatusCode.Created);
        await SendAsync(HttpMethod.Patch, $"{Route}/{name}", new { canary = new { model = "models:/flights/7", percent = 20 } }, "bo");
        await SendAsync(HttpMethod.Patch, $"{Route}/{name}", new { model = "models:/flights/6" });
        var rolledBack = await SendAsync(HttpMethod.Post, $"{Route}/{name}/rollback", user: "cy");
        var toFirst = await SendAsync(HttpMethod.Post, $"{Route}/{name}/rollback?to=1");

        Assert.Equal(1, (long)created["deployment"]!["latest"]!["revision"]!);
        Assert.Equal("PENDING", (string)created["deployment"]!["latest"]!["status"]!);
        var latest = rolledBack["deployment"]!["latest"]!;
        Assert.Equal(4, (long)latest["revision"]!);
        Assert.Equal("models:/flights@champion", (string)latest["model"]!);
        Assert.Equal("models:/flights/7", (string)latest["canary"]!["model"]!);
        Assert.Equal(20, (long)latest["canary"]!["percent"]!);
        Assert.Null(toFirst["deployment"]!["latest"]!["canary"]);

        var revisions = (await SendAsync(HttpMethod.Get, $"{Route}/{name}/revisions"))["revisions"]!.AsArray();
        Assert.Equal([5L, 4, 3, 2, 1], revisions.Select(r => (long)r!["revision"]!));
        Assert.Equal(["anonymous", "cy", "anonymous", "bo", "ana"], revisions.Select(r => (string)r!["actor"]!));
        Assert.Equal("models:/flights/6", (string)revisions[2]!["model"]!);
        Assert.All(revisions, r => Assert.True((long)r!["time"]! > 0));
        Assert.Equal(
            ["rolled back to revision 1", "rolled back to revision 2", "model set to models:/flights/6", "canary set to models:/flights/7 at 20%", "created"],
            revisions.Select(r => (string)r!["cause"]!));
        // No model "flights" is registered: the alias resolves to nothing, so the rollback copies the URI unpinned.
        Assert.Null(revisions[0]!["model_version"]);
        Assert.Equal(6, (long)revisions[2]!["model_version"]!);

        var got = await SendAsync(HttpMethod.Get, $"{Route}/{name}");
        Assert.Equal(5, (long)got["deployment"]!["latest"]!["revision"]!);
        var listed = (await SendAsync(HttpMethod.Get, Route))["deployments"]!.AsArray();
        Assert.Contains(listed, d => (string)d!["name"]! == name && (long)d["latest"]!["revision"]! == 5);
    }

    [Fact]
    public async Task CanaryNull_RemovesTheCanary_AndStatusIsWrittenPerRevision()
    {
        var name = NewName();
        await SendAsync(HttpMethod.Post, Route, new { name, model = "models:/m@a", canary = new { model = "models:/m@b", percent = 50 } }, expected: HttpStatusCode.Created);
        var removed = await SendAsync(HttpMethod.Patch, $"{Route}/{name}", new { canary = (object?)null });
        var failed = await SendAsync(HttpMethod.Patch, $"{Route}/{name}/revisions/1", new { status = "FAILED", message = "could not load" });

        Assert.Null(removed["deployment"]!["latest"]!["canary"]);
        Assert.Equal("models:/m@a", (string)removed["deployment"]!["latest"]!["model"]!);
        Assert.Equal("FAILED", (string)failed["revision"]!["status"]!);
        var revisions = (await SendAsync(HttpMethod.Get, $"{Route}/{name}/revisions"))["revisions"]!.AsArray();
        Assert.Equal("could not load", (string)revisions[1]!["message"]!);
        Assert.Equal("PENDING", (string)revisions[0]!["status"]!);
    }

    [Fact]
    public async Task Errors_AreProblemDetails_AndChangeNothing()
    {
        var name = NewName();
        await SendAsync(HttpMethod.Post, Route, new { name, model = "models:/m/1" }, expected: HttpStatusCode.Created);

        await AssertProblemAsync(HttpMethod.Post, Route, new { name, model = "models:/m/2" }, HttpStatusCode.Conflict, "RESOURCE_ALREADY_EXISTS");
        await AssertProblemAsync(HttpMethod.Post, Route, new { name = NewName(), model = "s3://bucket/model" }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "model");
        await AssertProblemAsync(HttpMethod.Post, Route, new { name = NewName(), model = "runs:/abc/model" }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "model");
        await AssertProblemAsync(HttpMethod.Post, Route, new { name = "bad name!", model = "models:/m/1" }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "name");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}", new { canary = new { model = "models:/m/2", percent = 101 } }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "percent");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}", new { canary = new { model = "models:/m/2", percent = -1 } }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "percent");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}", new { canary = new { model = "nope", percent = 10 } }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "canary.model");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}", new { shadow = "s3://bucket/model" }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "shadow");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}", new { shadow = 3 }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "shadow");
        await AssertProblemAsync(HttpMethod.Post, $"{Route}/{name}/rollback", null, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "nothing to roll back");
        await AssertProblemAsync(HttpMethod.Post, $"{Route}/{name}/rollback?to=9", null, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "Revision 9");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}/revisions/1", new { status = "DONE" }, HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "status");
        await AssertProblemAsync(HttpMethod.Patch, $"{Route}/{name}/revisions/7", new { status = "LIVE" }, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        foreach (var (method, path) in new[]
        {
            (HttpMethod.Get, $"{Route}/missing-dep"), (HttpMethod.Get, $"{Route}/missing-dep/revisions"),
            (HttpMethod.Patch, $"{Route}/missing-dep"), (HttpMethod.Post, $"{Route}/missing-dep/rollback"),
        })
        {
            await AssertProblemAsync(method, path, method == HttpMethod.Patch ? new { model = "models:/m/1" } : null, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "missing-dep");
        }

        var revisions = (await SendAsync(HttpMethod.Get, $"{Route}/{name}/revisions"))["revisions"]!.AsArray();
        var only = Assert.Single(revisions);
        Assert.Equal("models:/m/1", (string)only!["model"]!);
        Assert.Equal("PENDING", (string)only["status"]!);

        // A refused change used no revision number: the next good one is 2.
        Assert.Equal(1, (long)(await SendAsync(HttpMethod.Get, $"{Route}/{name}"))["deployment"]!["latest"]!["revision"]!);
        var next = await SendAsync(HttpMethod.Patch, $"{Route}/{name}", new { model = "models:/m/2" });
        Assert.Equal(2, (long)next["deployment"]!["latest"]!["revision"]!);
    }

    [Fact]
    public async Task ConcurrentChanges_GetDistinctGapFreeRevisions()
    {
        var name = NewName();
        await SendAsync(HttpMethod.Post, Route, new { name, model = "models:/m/1" }, expected: HttpStatusCode.Created);

        await Task.WhenAll(Enumerable.Range(2, 20).Select(v => SendAsync(HttpMethod.Patch, $"{Route}/{name}", new { model = $"models:/m/{v}" })));

        var revisions = (await SendAsync(HttpMethod.Get, $"{Route}/{name}/revisions"))["revisions"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 21).Reverse().Select(r => (long)r), revisions.Select(r => (long)r!["revision"]!));
        Assert.Equal(
            Enumerable.Range(1, 21).Select(v => $"models:/m/{v}").ToHashSet(),
            revisions.Select(r => (string)r!["model"]!).ToHashSet());
    }

    private async Task AssertProblemAsync(HttpMethod method, string path, object? body, HttpStatusCode status, string code, string? detail = null)
    {
        var problem = await SendAsync(method, path, body, expected: status);
        Assert.Equal(code, (string)problem["errorCode"]!);
        if (detail is not null)
        {
            Assert.Contains(detail, (string)problem["detail"]!, StringComparison.Ordinal);
        }
    }
}

public sealed class DeploymentApiTestsOnSqlite(KeelServerFixture server) : DeploymentApiTests(server), IClassFixture<KeelServerFixture>;

public sealed class DeploymentApiTestsOnPostgres(PostgresKeelServerFixture server) : DeploymentApiTests(server), IClassFixture<PostgresKeelServerFixture>;
