using System.Net.Http.Json;
using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class RegistryEventTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task EveryChange_WritesOneEvent_WithActorVersionAndPayload()
    {
        var name = UniqueName();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/registered-models/create") { Content = JsonContent.Create(new { name }) })
        {
            request.Headers.Add("X-Keel-User", "alice");
            (await server.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        await _api.CreateVersionAsync(name);
        await _api.CreateVersionAsync(name);
        (await _api.SendAsync(HttpMethod.Patch, "/registered-models/update", new { name, description = "d" })).Ok();
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "k", value = "v" })).Ok();
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete-tag", new { name, key = "k" })).Ok();
        (await _api.SendAsync(HttpMethod.Patch, "/model-versions/update", new { name, version = "1", description = "d" })).Ok();
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "k", value = "v" })).Ok();
        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete-tag", new { name, version = "1", key = "k" })).Ok();
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "2" })).Ok();
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/alias", new { name, alias = "champion" })).Ok();
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "Production", archive_existing_versions = false })).Ok();
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "2", stage = "Production", archive_existing_versions = true })).Ok();
        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete", new { name, version = "1" })).Ok();
        // Failed requests change nothing and log nothing.
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "x", version = "99" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        var events = await EventsAsync(server.Http, name);

        Assert.Equal(
        [
            "REGISTERED_MODEL_CREATED", "MODEL_VERSION_CREATED", "MODEL_VERSION_CREATED", "REGISTERED_MODEL_UPDATED",
            "REGISTERED_MODEL_TAG_SET", "REGISTERED_MODEL_TAG_DELETED", "MODEL_VERSION_UPDATED", "MODEL_VERSION_TAG_SET",
            "MODEL_VERSION_TAG_DELETED", "MODEL_VERSION_ALIAS_CREATED", "MODEL_VERSION_ALIAS_CREATED", "MODEL_VERSION_ALIAS_DELETED",
            "MODEL_VERSION_TRANSITIONED_STAGE", "MODEL_VERSION_TRANSITIONED_STAGE", "MODEL_VERSION_TRANSITIONED_STAGE", "MODEL_VERSION_DELETED",
        ], events.Select(e => (string)e!["event_type"]!).ToArray());
        Assert.Equal("alice", (string)events[0]!["actor"]!);
        Assert.Equal("anonymous", (string)events[1]!["actor"]!);
        Assert.Equal("2", (string)events[2]!["version"]!);
        Assert.Equal("s3://bucket/model", (string)events[1]!["payload"]!["source"]!);
        Assert.Equal("{\"name\":\"" + name + "\",\"alias\":\"champion\",\"version\":\"2\",\"previous_version\":\"1\"}", events[10]!["payload"]!.ToJsonString());
        // Archiving version 1 is its own event, before the transition that caused it.
        Assert.Equal("Archived", (string)events[13]!["payload"]!["to_stage"]!);
        Assert.True(events.Select(e => (long)e!["id"]!).Order().SequenceEqual(events.Select(e => (long)e!["id"]!)));

        var after = (long)events[^2]!["id"]!;
        var tail = JsonNode.Parse(await server.Http.GetStringAsync($"/api/keel/v1/registry/events?name={name}&after={after}"))!["events"]!.AsArray();
        Assert.Equal("MODEL_VERSION_DELETED", (string)Assert.Single(tail)!["event_type"]!);
    }

    [Fact]
    public async Task DeletingAModel_LogsTheDeletion_AndKeepsItsHistory()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "prod", version = "1" })).Ok();

        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete", new { name })).Ok();

        var events = await EventsAsync(server.Http, name);
        Assert.Equal("REGISTERED_MODEL_DELETED", (string)events[^1]!["event_type"]!);
        Assert.Equal("prod", (string)events[^1]!["payload"]!["deleted_aliases"]![0]!["alias"]!);
        Assert.Equal(4, events.Count);
    }

    [Theory]
    [InlineData("after=abc")]
    [InlineData("max_results=0")]
    [InlineData("max_results=100000")]
    public async Task Events_WithBadQuery_ReturnsProblemDetails(string query)
    {
        using var response = await server.Http.GetAsync($"/api/keel/v1/registry/events?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)problem["errorCode"]!);
    }
}

public sealed class RegistryEventTestsOnSqlite(KeelServerFixture server) : RegistryEventTests(server), IClassFixture<KeelServerFixture>;

public sealed class RegistryEventTestsOnPostgres(PostgresKeelServerFixture server) : RegistryEventTests(server), IClassFixture<PostgresKeelServerFixture>;
