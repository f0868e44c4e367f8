namespace Keel.Server.Tests;

/// <summary>The artifact proxy's contract, run once per artifact store (local files and S3).</summary>
public abstract class ArtifactEndpointTests(KeelServerFixture server)
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
        await AssertNothingStoredNamedAsync(marker);
    }

    /// <summary>Checks the store itself (beyond the local disk) holds nothing whose name contains the marker.</summary>
    protected virtual Task AssertNothingStoredNamedAsync(string marker) => Task.CompletedTask;

    [Fact]
    public async Task LargeArtifact_SeveralUploadParts_RoundTripsByteForByte()
    {
        var exp = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(exp);
        var payload = new byte[(20 * 1024 * 1024) + 12345];
        Random.Shared.NextBytes(payload);

        using (var put = await server.Http.PutAsync($"{Proxy}/{exp}/{runId}/artifacts/big/blob.bin", new ByteArrayContent(payload)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(payload, await server.Http.GetByteArrayAsync($"{Proxy}/{exp}/{runId}/artifacts/big/blob.bin"));
        var listed = (await _api.GetAsync($"/artifacts/list?run_id={runId}&path=big")).Ok().Json["files"]!.AsArray();
        Assert.Equal(payload.Length, (long)Assert.Single(listed)!["file_size"]!);
    }

    [Fact]
    public async Task DeletingADirectory_RemovesEverythingUnderIt()
    {
        var exp = await _api.CreateExperimentAsync();
        var runId = await _api.CreateRunAsync(exp);
        var root = $"{Proxy}/{exp}/{runId}/artifacts";
        foreach (var name in new[] { "model/a.txt", "model/sub/b.txt", "keep.txt" })
        {
            using var put = await server.Http.PutAsync($"{root}/{name}", new StringContent(name));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var delete = await server.Http.DeleteAsync($"{root}/model"))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        var files = (await _api.GetAsync($"/artifacts/list?run_id={runId}")).Ok().Json["files"]!.AsArray();
        Assert.Equal("keep.txt", (string)Assert.Single(files)!["path"]!);
        using var gone = await server.Http.DeleteAsync($"{root}/model");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task RunArtifactList_WithEscapingPath_Returns400()
    {
        var runId = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        (await _api.GetAsync($"/artifacts/list?run_id={runId}&path=../..")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}

public sealed class LocalArtifactEndpointTests(KeelServerFixture server) : ArtifactEndpointTests(server), IClassFixture<KeelServerFixture>;

public sealed class S3ArtifactEndpointTests(S3KeelServerFixture server) : ArtifactEndpointTests(server), IClassFixture<S3KeelServerFixture>
{
    [Fact]
    public async Task Artifacts_LandInTheBucket_NotOnLocalDisk()
    {
        var api = new MlflowApi(server.Http);
        var exp = await api.CreateExperimentAsync();
        var runId = await api.CreateRunAsync(exp);

        using var put = await server.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{exp}/{runId}/artifacts/m.txt", new StringContent("in s3"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Contains($"artifacts/{exp}/{runId}/artifacts/m.txt", await server.KeysAsync());
        Assert.False(Directory.Exists(Path.Combine(server.DataDirectory, "artifacts")));
    }

    [Fact]
    public async Task Health_ReportsAMissingBucket()
    {
        Assert.Equal("OK", await server.Http.GetStringAsync("/health"));
        var other = new S3KeelServerFixture();
        await other.InitializeAsync();
        try
        {
            await other.S3.DeleteBucketAsync(other.Bucket);
            using var health = await other.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.StartsWith("Artifact store unavailable", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await other.S3.PutBucketAsync(other.Bucket);
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    protected override async Task AssertNothingStoredNamedAsync(string marker) =>
        Assert.DoesNotContain(await server.KeysAsync(), key => key.Contains(marker, StringComparison.Ordinal));
}
