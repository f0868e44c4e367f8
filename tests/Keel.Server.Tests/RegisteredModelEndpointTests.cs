using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class RegisteredModelEndpointTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task Create_ThenGet_ReturnsMlflowShape()
    {
        var name = UniqueName();
        var created = await _api.CreateModelAsync(name, new { name, description = "d", tags = new[] { new { key = "team", value = "a" } } });

        Assert.Equal(name, (string)created["name"]!);
        var model = await _api.GetModelAsync(name);
        Assert.Equal(name, (string)model["name"]!);
        Assert.Equal("d", (string)model["description"]!);
        Assert.True((long)model["creation_timestamp"]! > 1_600_000_000_000);
        Assert.Equal((long)model["creation_timestamp"]!, (long)model["last_updated_timestamp"]!);
        Assert.Equal("team", (string)model["tags"]![0]!["key"]!);
        // Empty lists are left out, as protobuf JSON does.
        Assert.Null(model["latest_versions"]);
        Assert.Null(model["aliases"]);
    }

    [Fact]
    public async Task Create_WithDuplicateName_ReturnsResourceAlreadyExists()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        var message = (await _api.PostAsync("/registered-models/create", new { name })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        Assert.Contains(name, message);
    }

    [Fact]
    public async Task Names_AreCaseSensitive()
    {
        var name = UniqueName("CaseModel");
        await _api.CreateModelAsync(name);
        await _api.CreateModelAsync(name.ToLowerInvariant());

        (await _api.GetAsync($"/registered-models/get?name={name.ToUpperInvariant()}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"name\": \"\"}")]
    [InlineData("{\"name\": 5}")]
    [InlineData("{\"name\": \"x\", \"tags\": [{\"key\": \"bad/../key\", \"value\": \"v\"}]}")]
    public async Task Create_WithBadInput_ReturnsInvalidParameterValue(string body) =>
        (await _api.PostRawAsync("/registered-models/create", body)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task UnknownModel_IsResourceDoesNotExist_Everywhere()
    {
        var name = UniqueName("missing");
        (await _api.GetAsync($"/registered-models/get?name={name}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/registered-models/rename", new { name, new_name = UniqueName() })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.SendAsync(HttpMethod.Patch, "/registered-models/update", new { name, description = "x" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete", new { name })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "k", value = "v" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/registered-models/get-latest-versions", new { name })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.PostAsync("/model-versions/create", new { name, source = "s3://b/m" })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.GetAsync("/registered-models/get")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Rename_MovesVersionsAndAliases_AndRefusesTakenName()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version = "1" })).Ok();
        var taken = UniqueName();
        await _api.CreateModelAsync(taken);
        var newName = UniqueName("renamed");

        (await _api.PostAsync("/registered-models/rename", new { name, new_name = taken })).Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        (await _api.PostAsync("/registered-models/rename", new { name, new_name = "" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var renamed = (await _api.PostAsync("/registered-models/rename", new { name, new_name = newName })).Ok().Json["registered_model"]!;

        Assert.Equal(newName, (string)renamed["name"]!);
        Assert.Equal(newName, (string)renamed["latest_versions"]![0]!["name"]!);
        Assert.Equal("champion", (string)renamed["aliases"]![0]!["alias"]!);
        Assert.Equal("1", (string)(await _api.GetAsync($"/registered-models/alias?name={newName}&alias=champion")).Ok().Json["model_version"]!["version"]!);
        (await _api.GetAsync($"/registered-models/get?name={name}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Update_SetsDescription_WithPatch()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        var updated = (await _api.SendAsync(HttpMethod.Patch, "/registered-models/update", new { name, description = "new" })).Ok().Json["registered_model"]!;

        Assert.Equal("new", (string)updated["description"]!);
        Assert.Equal("new", (string)(await _api.GetModelAsync(name))["description"]!);
    }

    [Fact]
    public async Task Delete_ModelWithVersionsTagsAndAliases_RemovesThemAll()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name, new { name, tags = new[] { new { key = "k", value = "v" } } });
        await _api.CreateVersionAsync(name);
        (await _api.PostAsync("/registered-models/alias", new { name, alias = "prod", version = "1" })).Ok();

        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete", new { name })).Ok();

        (await _api.GetAsync($"/registered-models/get?name={name}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.GetAsync($"/model-versions/get?name={name}&version=1")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var search = (await _api.GetAsync($"/model-versions/search?filter={Uri.EscapeDataString($"name = '{name}'")}")).Ok().Json;
        Assert.Null(search["model_versions"]);

        // A new model of the same name starts from scratch: no old alias, versions from 1.
        await _api.CreateModelAsync(name);
        Assert.Null((await _api.GetModelAsync(name))["aliases"]);
        Assert.Equal("1", (string)(await _api.CreateVersionAsync(name))["version"]!);
    }

    [Fact]
    public async Task Tags_SetOverwrites_DeleteRemoves_MissingTagIsNoError()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "k", value = "1" })).Ok();
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "k", value = "2" })).Ok();
        Assert.Equal("2", (string)(await _api.GetModelAsync(name))["tags"]![0]!["value"]!);

        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete-tag", new { name, key = "k" })).Ok();
        Assert.Null((await _api.GetModelAsync(name))["tags"]);
        (await _api.SendAsync(HttpMethod.Delete, "/registered-models/delete-tag", new { name, key = "k" })).Ok();
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "", value = "v" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/registered-models/set-tag", new { name, key = "k", value = new string('v', 5001) })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Search_FiltersByNameAndTags_OrdersAndPages()
    {
        var prefix = "search-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (suffix, team) in new[] { ("b", "x"), ("a", "y"), ("c", "x") })
        {
            await _api.CreateModelAsync($"{prefix}-{suffix}", new { name = $"{prefix}-{suffix}", tags = new[] { new { key = "team", value = team } } });
            // Creation times are milliseconds; the creation_timestamp ordering below needs them distinct.
            await Task.Delay(5);
        }

        async Task<List<string>> NamesAsync(string query) =>
            ((await _api.GetAsync("/registered-models/search?" + query)).Ok().Json["registered_models"]?.AsArray() ?? [])
            .Select(m => (string)m!["name"]!).ToList();

        var like = "filter=" + Uri.EscapeDataString($"name LIKE '{prefix}-%'");
        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], await NamesAsync(like));
        Assert.Equal([$"{prefix}-c", $"{prefix}-b", $"{prefix}-a"], await NamesAsync(like + "&order_by=name+DESC"));
        Assert.Equal([$"{prefix}-b", $"{prefix}-c"], await NamesAsync("filter=" + Uri.EscapeDataString($"name LIKE '{prefix}-%' AND tags.team = 'x'")));
        Assert.Equal([$"{prefix}-b", $"{prefix}-c"], await NamesAsync("filter=" + Uri.EscapeDataString($"name ILIKE '{prefix.ToUpperInvariant()}-%' AND tags.team != 'y'")));
        Assert.Equal([$"{prefix}-a"], await NamesAsync("filter=" + Uri.EscapeDataString($"name = '{prefix}-a'")));
        Assert.Equal([$"{prefix}-c", $"{prefix}-a", $"{prefix}-b"], await NamesAsync(like + "&order_by=creation_timestamp+DESC"));

        var first = (await _api.GetAsync($"/registered-models/search?{like}&max_results=2")).Ok().Json;
        Assert.Equal(2, first["registered_models"]!.AsArray().Count);
        var token = (string)first["next_page_token"]!;
        var second = (await _api.GetAsync($"/registered-models/search?{like}&max_results=2&page_token={Uri.EscapeDataString(token)}")).Ok().Json;
        Assert.Equal($"{prefix}-c", (string)Assert.Single(second["registered_models"]!.AsArray())!["name"]!);
        Assert.Null(second["next_page_token"]);
    }

    [Theory]
    [InlineData("filter=name+%3D")]
    [InlineData("filter=run_id+%3D+%27x%27")]
    [InlineData("filter=name+IN+(%27a%27)")]
    [InlineData("filter=name+%3D+%27a%27+OR+name+%3D+%27b%27")]
    [InlineData("filter=metrics.x+%3E+1")]
    [InlineData("order_by=version_number")]
    [InlineData("order_by=name&order_by=name+DESC")]
    [InlineData("max_results=1001")]
    [InlineData("max_results=0")]
    [InlineData("page_token=not-base64!")]
    [InlineData("page_token=eyJmb28iOiAxfQ%3D%3D")]
    public async Task Search_WithBadInput_ReturnsInvalidParameterValue(string query) =>
        (await _api.GetAsync("/registered-models/search?" + query)).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task AjaxPrefix_ServesTheSameEndpoints()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        using var response = await server.Http.GetAsync($"/ajax-api/2.0/mlflow/registered-models/get?name={name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class RegisteredModelEndpointTestsOnSqlite(KeelServerFixture server) : RegisteredModelEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class RegisteredModelEndpointTestsOnPostgres(PostgresKeelServerFixture server) : RegisteredModelEndpointTests(server), IClassFixture<PostgresKeelServerFixture>;
