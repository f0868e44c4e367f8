namespace Keel.Server.Tests;

public sealed class ArtifactEndpointTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly MlflowApi _api = new MlflowApi(server.Http);

    [Fact]
    public async Task Upload_Download_List_Delete_RoundTrip()
    {
        var exp = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(exp);
        var root = $"{exp}/{runId}/artifacts";
        var payload = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(payload);

        using (var put = await server.Http.PutAsync($"{Proxy}/{root}/model/weights.bin", new ByteArrayContent(payload)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var put = await server.Http.PutAsync($"{Proxy}/{root}/notes%20and%20caf%C3%A9.txt", new StringContent("hi")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(payload, await server.Http.GetByteArrayAsync($"{Proxy}/{root}/model/weights.bin"));
        Assert.Equal("hi", await server.Http.GetStringAsync($"{Proxy}/{root}/notes%20and%20caf%C3%A9.txt"));

        var listed = (await _api.GetAsync($"/artifacts/list?run_id={runId}")).Ok().Json;
        Assert.Equal($"mlflow-artifacts:/{root}", (string)listed["root_uri"]!);
        var files = listed["files"]!.AsArray();
        Assert.Contains(files, f => (string)f!["path"]! == "model" && (bool)f["is_dir"]!);
        Assert.Contains(files, f => (string)f!["path"]! == "notes and café.txt" && (long)f["file_size"]! == 2);
        var nested = (await _api.GetAsync($"/artifacts/list?run_id={runId}&path=model")).Ok().Json["files"]!.AsArray();
        Assert.Equal("model/weights.bin", (string)Assert.Single(nested)!["path"]!);
        Assert.Equal(payload.Length, (long)nested[0]!["file_size"]!);
        var proxied = JsonNode.Parse(await server.Http.GetStringAsync($"{Proxy}?path={root}/model"))!["files"]!.AsArray();
        Assert.Equal("weights.bin", (string)Assert.Single(proxied)!["path"]!);

        using (var delete = await server.Http.DeleteAsync($"{Proxy}/{root}/model/weights.bin"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using var missing = await server.Http.GetAsync($"{Proxy}/{root}/model/weights.bin");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error_code"]);
    }

    [Theory]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fEVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/%2e%2e/%2e%2e/EVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/../../../../EVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/1/..%5c..%5c..%5cEVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/1/a\\..\\..\\EVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/%252e%252e/%252e%252e/EVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts//etc/EVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/%2Fetc%2FEVIL")]
    [InlineData("PUT", "/api/2.0/mlflow-artifacts/artifacts/C:%5CEVIL")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts/..%2f..%2fkeel.db")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts/%2e%2e/keel.db")]
    [InlineData("GET", "/api/2.0/mlflow-artifacts/artifacts?path=../..")]
    [InlineData("DELETE", "/api/2.0/mlflow-artifacts/artifacts/..%2fkeel.db")]
    public async Task EscapingPath_IsRefused_AndWritesNothingOutsideTheRoot(string method, string path)
    {
        var marker = "EVIL" + Guid.NewGuid().ToString("N");
        var (status, body) = await RawHttp.SendAsync(server.BaseAddress, method, path.Replace("EVIL", marker, StringComparison.Ordinal), "payload");

        Assert.InRange(status, 400, 499);
        if (body.Length > 0 && body.TrimStart().StartsWith('{'))
        {
            Assert.NotNull(JsonNode.Parse(body)!["error_code"]);
        }

        var temp = Path.GetTempPath();
        Assert.Empty(Directory.EnumerateFiles(temp, marker + "*", SearchOption.TopDirectoryOnly));
        Assert.Empty(Directory.EnumerateFiles(server.DataDirectory, marker + "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "keel.db")));
    }

    [Fact]
    public async Task RunArtifactList_WithEscapingPath_Returns400()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.GetAsync($"/artifacts/list?run_id={runId}&path=../..")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}
