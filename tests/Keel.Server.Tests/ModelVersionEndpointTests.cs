using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class ModelVersionEndpointTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    private async Task<string> ModelWithVersionsAsync(int versions)
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        for (var i = 0; i < versions; i++)
        {
            await _api.CreateVersionAsync(name, $"s3://bucket/model-{i}");
        }

        return name;
    }

    [Fact]
    public async Task Create_NumbersVersions_AndReturnsMlflowShape()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        var first = (await _api.PostAsync("/model-versions/create", new
        {
            name,
            source = "s3://bucket/path/model",
            run_link = "http://other/run",
            description = "first",
            tags = new[] { new { key = "k", value = "v" } },
        })).Ok().Json["model_version"]!;
        var second = await _api.CreateVersionAsync(name);

        Assert.Equal("1", (string)first["version"]!);
        Assert.Equal("2", (string)second["version"]!);
        Assert.Equal(name, (string)first["name"]!);
        Assert.Equal("None", (string)first["current_stage"]!);
        Assert.Equal("READY", (string)first["status"]!);
        Assert.Equal("s3://bucket/path/model", (string)first["source"]!);
        Assert.Equal("http://other/run", (string)first["run_link"]!);
        Assert.Equal("first", (string)first["description"]!);
        Assert.Equal("v", (string)first["tags"]![0]!["value"]!);
        Assert.Null(first["run_id"]);
        Assert.True((long)first["creation_timestamp"]! > 1_600_000_000_000);
        var fetched = await _api.GetVersionAsync(name, "1");
        Assert.Equal(first.ToJsonString(), fetched.ToJsonString());
    }

    [Theory]
    [InlineData("{\"name\": \"m\"}")]
    [InlineData("{\"source\": \"s3://b/m\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"/tmp/local/model\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"relative/model\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"s3://bucket/../other\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"mlflow-artifacts:/0/../../etc\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"runs:/\"}")]
    [InlineData("{\"name\": \"m\", \"source\": \"models:/a/b/c\"}")]
    public async Task Create_WithBadInput_ReturnsInvalidParameterValue(string body)
    {
        await _api.PostAsync("/registered-models/create", new { name = "m" });
        (await _api.PostRawAsync("/model-versions/create", body)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Create_FromUnknownRun_ReturnsResourceDoesNotExist()
    {
        var name = await ModelWithVersionsAsync(0);
        (await _api.PostAsync("/model-versions/create", new { name, source = $"runs:/{Guid.NewGuid():N}/model" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task UnknownVersion_IsResourceDoesNotExist_AndBadVersionIsInvalid()
    {
        var name = await ModelWithVersionsAsync(1);
        (await _api.GetAsync($"/model-versions/get?name={name}&version=7")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.GetAsync($"/model-versions/get?name={name}&version=abc")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.GetAsync($"/model-versions/get?name={name}")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.GetAsync($"/model-versions/get-download-uri?name={name}&version=7")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.SendAsync(HttpMethod.Patch, "/model-versions/update", new { name, version = "7", description = "x" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete", new { name, version = "7" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "7", key = "k", value = "v" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "7", stage = "Staging", archive_existing_versions = false }))
            .Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Update_SetsDescription_AndDelete_NeverReusesTheNumber()
    {
        var name = await ModelWithVersionsAsync(2);

        var updated = (await _api.SendAsync(HttpMethod.Patch, "/model-versions/update", new { name, version = "2", description = "better" })).Ok().Json["model_version"]!;
        Assert.Equal("better", (string)updated["description"]!);

        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete", new { name, version = "2" })).Ok();
        (await _api.GetAsync($"/model-versions/get?name={name}&version=2")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal("3", (string)(await _api.CreateVersionAsync(name))["version"]!);
    }

    [Fact]
    public async Task TransitionStage_ArchivesExisting_AndLatestVersionsFollow()
    {
        var name = await ModelWithVersionsAsync(3);
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "production", archive_existing_versions = false })).Ok();
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "2", stage = "Production", archive_existing_versions = false })).Ok();

        var moved = (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "3", stage = "Production", archive_existing_versions = true }))
            .Ok().Json["model_version"]!;

        Assert.Equal("Production", (string)moved["current_stage"]!);
        Assert.Equal("Archived", (string)(await _api.GetVersionAsync(name, "1"))["current_stage"]!);
        Assert.Equal("Archived", (string)(await _api.GetVersionAsync(name, "2"))["current_stage"]!);
        var latest = (await _api.PostAsync("/registered-models/get-latest-versions", new { name, stages = new[] { "Production" } })).Ok().Json["model_versions"]!.AsArray();
        Assert.Equal("3", (string)Assert.Single(latest)!["version"]!);
        var all = (await _api.GetAsync($"/registered-models/get-latest-versions?name={name}")).Ok().Json["model_versions"]!.AsArray();
        Assert.Equal(["2", "3"], all.Select(v => (string)v!["version"]!).ToArray());
        var viaGet = (await _api.GetAsync($"/registered-models/get-latest-versions?name={name}&stages=Archived&stages=None")).Ok().Json["model_versions"]!.AsArray();
        Assert.Equal("2", (string)Assert.Single(viaGet)!["version"]!);
        Assert.Equal(2, (await _api.GetModelAsync(name))["latest_versions"]!.AsArray().Count);
    }

    [Fact]
    public async Task TransitionStage_WithBadStage_ReturnsInvalidParameterValue()
    {
        var name = await ModelWithVersionsAsync(1);
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "Prod", archive_existing_versions = false }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "Archived", archive_existing_versions = true }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/model-versions/transition-stage", new { name, version = "1", stage = "Staging" }))
            .Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Tags_SetAndDelete()
    {
        var name = await ModelWithVersionsAsync(1);
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "1", key = "k", value = "v" })).Ok();
        Assert.Equal("v", (string)(await _api.GetVersionAsync(name, "1"))["tags"]![0]!["value"]!);

        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete-tag", new { name, version = "1", key = "k" })).Ok();
        Assert.Null((await _api.GetVersionAsync(name, "1"))["tags"]);
    }

    [Fact]
    public async Task Aliases_SetMoveGetDelete_AppearOnVersionsAndModel()
    {
        var name = await ModelWithVersionsAsync(2);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "challenger", version = "2" })).Ok();
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "2" })).Ok();

        var byAlias = (await _api.GetAsync($"/registered-models/alias?name={name}&alias=champion")).Ok().Json["model_version"]!;
        Assert.Equal("2", (string)byAlias["version"]!);
        Assert.Equal(["challenger", "champion"], byAlias["aliases"]!.AsArray().Select(a => (string)a!).ToArray());
        Assert.Null((await _api.GetVersionAsync(name, "1"))["aliases"]);
        var model = await _api.GetModelAsync(name);
        Assert.Equal("[{\"alias\":\"challenger\",\"version\":\"2\"},{\"alias\":\"champion\",\"version\":\"2\"}]", model["aliases"]!.ToJsonString());

        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/alias", new { name, alias = "challenger" })).Ok();
        (await _api.GetAsync($"/registered-models/alias?name={name}&alias=challenger")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        // MLflow's SQL store ignores deleting an alias that is not there.
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/alias", new { name, alias = "challenger" })).Ok();
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("LATEST")]
    [InlineData("v1")]
    [InlineData("V12")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("")]
    public async Task Alias_WithReservedOrBadName_ReturnsInvalidParameterValue(string alias)
    {
        var name = await ModelWithVersionsAsync(1);
        (await _api.PostAsync("/registered-models/alias", new { name, alias, version = "1" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Alias_ToMissingVersion_IsResourceDoesNotExist_AndDeletedVersionDropsItsAliases()
    {
        var name = await ModelWithVersionsAsync(2);
        // MLflow looks the version up first, so the answer is its RESOURCE_DOES_NOT_EXIST.
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "prod", version = "9" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/registered-models/alias", new { name = UniqueName(), alias = "prod", version = "1" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        (await _api.PostAsync("/registered-models/alias", new { name, alias = "prod", version = "2" })).Ok();
        (await _api.SendAsync(HttpMethod.Delete, "/model-versions/delete", new { name, version = "2" })).Ok();

        (await _api.GetAsync($"/registered-models/alias?name={name}&alias=prod")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Null((await _api.GetModelAsync(name))["aliases"]);
    }

    [Fact]
    public async Task Search_FiltersByNameRunSourceVersionAndTags()
    {
        var experiment = await _api.CreateExperimentAsync();
        var runA = await _api.CreateRunAsync(experiment);
        var runB = await _api.CreateRunAsync(experiment);
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name, $"runs:/{runA}/model");
        await _api.CreateVersionAsync(name, $"runs:/{runB}/model");
        await _api.CreateVersionAsync(name, "s3://bucket/special");
        (await _api.PostAsync("/model-versions/set-tag", new { name, version = "3", key = "quality", value = "gold" })).Ok();

        async Task<List<string>> VersionsAsync(string filter, string extra = "") =>
            ((await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString(filter)}{extra}")).Ok().Json["model_versions"]?.AsArray() ?? [])
            .Select(v => (string)v!["version"]!).ToList();

        var byName = $"name = '{name}'";
        Assert.Equal(["3", "2", "1"], await VersionsAsync(byName));
        Assert.Equal(["1", "2", "3"], await VersionsAsync(byName, "&order_by=version_number+ASC"));
        Assert.Equal(["1"], await VersionsAsync($"run_id = '{runA}'"));
        Assert.Equal(["2", "1"], await VersionsAsync($"run_id IN ('{runA}', '{runB}')"));
        Assert.Equal(["3"], await VersionsAsync($"{byName} AND source_path = 's3://bucket/special'"));
        Assert.Equal(["3", "2"], await VersionsAsync($"{byName} AND version_number >= 2"));
        Assert.Equal(["3"], await VersionsAsync($"{byName} AND tags.quality = 'gold'"));
        Assert.Equal(["3", "2", "1"], await VersionsAsync($"name LIKE '{name[..10]}%'"));

        var page = (await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString(byName)}&max_results=2")).Ok().Json;
        Assert.Equal(2, page["model_versions"]!.AsArray().Count);
        var rest = (await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString(byName)}&max_results=2&page_token={Uri.EscapeDataString((string)page["next_page_token"]!)}")).Ok().Json;
        Assert.Equal("1", (string)Assert.Single(rest["model_versions"]!.AsArray())!["version"]!);
    }

    [Theory]
    [InlineData("name IN ('a')")]
    [InlineData("version_number = 'x'")]
    [InlineData("version_number LIKE '1'")]
    [InlineData("stage = 'None'")]
    [InlineData("tags.k IN ('a')")]
    [InlineData("name = 'a' AND")]
    public async Task Search_WithBadFilter_ReturnsInvalidParameterValue(string filter) =>
        (await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString(filter)}")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Theory]
    [InlineData("order_by=current_stage")]
    [InlineData("max_results=200001")]
    [InlineData("page_token=%%%")]
    public async Task Search_WithBadOrderOrPaging_ReturnsInvalidParameterValue(string query) =>
        (await _api.GetAsync($"/model-versions/search?{query}")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
}

public sealed class ModelVersionEndpointTestsOnSqlite(KeelServerFixture server) : ModelVersionEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class ModelVersionEndpointTestsOnPostgres(PostgresKeelServerFixture server) : ModelVersionEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
