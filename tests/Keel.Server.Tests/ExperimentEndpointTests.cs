namespace Keel.Server.Tests;

public abstract class ExperimentEndpointTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task Create_ThenGet_ReturnsMlflowShape()
    {
        var name = "shape-" + Guid.NewGuid().ToString("N");
        var id = (string)(await _api.PostAsync("/experiments/create", new { name, tags = new[] { new { key = "team", value = "a" } } })).Ok().Json["experiment_id"]!;

        var experiment = (await _api.GetAsync($"/experiments/get?experiment_id={id}")).Ok().Json["experiment"]!;

        Assert.Equal(id, (string)experiment["experiment_id"]!);
        Assert.Equal(name, (string)experiment["name"]!);
        Assert.Equal($"mlflow-artifacts:/{id}", (string)experiment["artifact_location"]!);
        Assert.Equal("active", (string)experiment["lifecycle_stage"]!);
        Assert.True((long)experiment["creation_time"]! > 1_600_000_000_000);
        Assert.Equal((long)experiment["creation_time"]!, (long)experiment["last_update_time"]!);
        Assert.Equal("team", (string)experiment["tags"]![0]!["key"]!);
    }

    [Fact]
    public async Task DefaultExperiment_Exists()
    {
        var experiment = (await _api.GetAsync("/experiments/get?experiment_id=0")).Ok().Json["experiment"]!;
        Assert.Equal("Default", (string)experiment["name"]!);
    }

    [Fact]
    public async Task Create_WithDuplicateName_ReturnsResourceAlreadyExists()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N");
        await _api.CreateExperimentAsync(name);

        var message = (await _api.PostAsync("/experiments/create", new { name })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Contains(name, message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\": \"\"}")]
    [InlineData("{\"name\": 5}")]
    [InlineData("{\"name\": \"x\", \"tags\": \"notalist\"}")]
    public async Task Create_WithBadInput_ReturnsInvalidParameterValue(string body) =>
        (await _api.PostRawAsync("/experiments/create", body)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task Create_WithOverlongName_ReturnsInvalidParameterValue() =>
        (await _api.PostAsync("/experiments/create", new { name = new string('n', 501) })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task Get_Unknown_ReturnsResourceDoesNotExist()
    {
        (await _api.GetAsync("/experiments/get?experiment_id=987654")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.GetAsync("/experiments/get?experiment_id=abc")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.GetAsync("/experiments/get")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task GetByName_FindsExperiment_AndMissingNameIs404()
    {
        var name = "byname " + Guid.NewGuid().ToString("N");
        var id = await _api.CreateExperimentAsync(name);

        var found = (await _api.GetAsync($"/experiments/get-by-name?experiment_name={Uri.EscapeDataString(name)}")).Ok().Json["experiment"]!;
        Assert.Equal(id, (string)found["experiment_id"]!);
        (await _api.GetAsync("/experiments/get-by-name?experiment_name=nope-" + Guid.NewGuid())).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Update_RenamesExperiment_AndRefusesTakenName()
    {
        var id = await _api.CreateExperimentAsync();
        var other = "taken-" + Guid.NewGuid().ToString("N");
        await _api.CreateExperimentAsync(other);
        var newName = "renamed-" + Guid.NewGuid().ToString("N");

        (await _api.PostAsync("/experiments/update", new { experiment_id = id, new_name = newName })).Ok();
        Assert.Equal(newName, (string)(await _api.GetAsync($"/experiments/get?experiment_id={id}")).Ok().Json["experiment"]!["name"]!);
        (await _api.PostAsync("/experiments/update", new { experiment_id = id, new_name = other })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Fact]
    public async Task Delete_ThenRestore_MovesExperimentAndItsRuns()
    {
        var id = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(id);

        (await _api.PostAsync("/experiments/delete", new { experiment_id = id })).Ok();
        Assert.Equal("deleted", (string)(await _api.GetAsync($"/experiments/get?experiment_id={id}")).Ok().Json["experiment"]!["lifecycle_stage"]!);
        Assert.Equal("deleted", (string)(await _api.GetRunAsync(runId))["info"]!["lifecycle_stage"]!);
        (await _api.PostAsync("/runs/create", new { experiment_id = id })).Error(HttpStatusCode.BadRequest, "INVALID_STATE");

        (await _api.PostAsync("/experiments/restore", new { experiment_id = id })).Ok();
        Assert.Equal("active", (string)(await _api.GetRunAsync(runId))["info"]!["lifecycle_stage"]!);
    }

    [Fact]
    public async Task ExperimentTags_SetOverwritesAndDeleteRemoves()
    {
        var id = await _api.CreateExperimentAsync();

        (await _api.PostAsync("/experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "1" })).Ok();
        (await _api.PostAsync("/experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "2" })).Ok();
        var tags = (await _api.GetAsync($"/experiments/get?experiment_id={id}")).Ok().Json["experiment"]!["tags"]!.AsArray();
        Assert.Equal("2", (string)Assert.Single(tags)!["value"]!);

        (await _api.PostAsync("/experiments/delete-experiment-tag", new { experiment_id = id, key = "k" })).Ok();
        Assert.Null((await _api.GetAsync($"/experiments/get?experiment_id={id}")).Ok().Json["experiment"]!["tags"]);
        (await _api.PostAsync("/experiments/delete-experiment-tag", new { experiment_id = id, key = "k" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Search_ByGetAndLegacyList_PageThroughViewTypes()
    {
        var prefix = "paged-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _api.CreateExperimentAsync($"{prefix}-{i}"));
        }

        (await _api.PostAsync("/experiments/delete", new { experiment_id = ids[0] })).Ok();

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = (await _api.GetAsync($"/experiments/search?filter={Uri.EscapeDataString($"name LIKE '{prefix}%'")}&max_results=2&order_by=name+ASC"
                + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)))).Ok().Json;
            seen.AddRange(page["experiments"]!.AsArray().Select(e => (string)e!["experiment_id"]!));
            token = (string?)page["next_page_token"];
        }
        while (token is not null);
        Assert.Equal(ids.Skip(1), seen);

        var deleted = (await _api.GetAsync("/experiments/list?view_type=DELETED_ONLY")).Ok().Json["experiments"]!.AsArray();
        Assert.Contains(deleted, e => (string)e!["experiment_id"]! == ids[0]);
        Assert.DoesNotContain(deleted, e => (string)e!["experiment_id"]! == ids[1]);
        var all = (await _api.PostAsync("/experiments/search", new { view_type = "ALL", filter = $"name LIKE '{prefix}%'" })).Ok().Json["experiments"]!.AsArray();
        Assert.Equal(5, all.Count);
        (await _api.GetAsync("/experiments/list?view_type=SOMETIMES")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task AjaxPrefix_ServesTheSameApi()
    {
        var id = await _api.CreateExperimentAsync();
        using var response = await server.Http.GetAsync($"/ajax-api/2.0/mlflow/experiments/get?experiment_id={id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownEndpoint_ReturnsMlflowError() =>
        (await _api.GetAsync("/experiments/frobnicate")).Error(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");

    [Fact]
    public async Task HealthAndVersion_Answer()
    {
        Assert.Equal("OK", await server.Http.GetStringAsync("/health"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", await server.Http.GetStringAsync("/version"));
    }
}

public sealed class ExperimentEndpointTestsOnSqlite(KeelServerFixture server) : ExperimentEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class ExperimentEndpointTestsOnPostgres(PostgresKeelServerFixture server) : ExperimentEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
