using System.Net;
using System.Text;

namespace Keel.Client.Tests;

public sealed class ArtifactTests : IDisposable
{
    private const string RunJson = """{"run": {"info": {"run_id": "r1", "experiment_id": "7", "artifact_uri": "mlflow-artifacts:/7/r1/artifacts"}}}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("keel-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FakeHandler Server(Func<SentRequest, HttpResponseMessage>? other = null) => new(request =>
        request.Path == "/api/2.0/mlflow/runs/get" ? FakeHandler.Json(RunJson) : other?.Invoke(request) ?? new HttpResponseMessage(HttpStatusCode.OK));

    [Theory]
    [InlineData("mlflow-artifacts:/7/r1/artifacts", "7/r1/artifacts")]
    [InlineData("mlflow-artifacts:/7/r1/artifacts/", "7/r1/artifacts")]
    [InlineData("mlflow-artifacts://tracking:5000/7/r1/artifacts", "7/r1/artifacts")]
    public void ArtifactProxyRoot_StripsScheme(string artifactUri, string expected)
    {
        Assert.Equal(expected, KeelClient.ArtifactProxyRoot(artifactUri));
    }

    [Theory]
    [InlineData("/var/mlruns/7/r1/artifacts")]
    [InlineData("s3://bucket/7/r1/artifacts")]
    public void ArtifactProxyRoot_WithNonProxiedUri_ThrowsNotSupported(string artifactUri)
    {
        Assert.Throws<NotSupportedException>(() => KeelClient.ArtifactProxyRoot(artifactUri));
    }

    [Fact]
    public async Task UploadArtifact_PutsFileUnderRunArtifactRoot()
    {
        var file = Path.Combine(_directory, "model card.md");
        await File.WriteAllTextAsync(file, "# model");
        var handler = Server();
        using var client = handler.CreateClient();

        await client.UploadArtifactAsync("r1", file, "docs");

        var put = handler.Requests.Single(r => r.Method == HttpMethod.Put);
        Assert.Equal("/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/docs/model%20card.md", put.Uri.AbsolutePath);
        Assert.Equal("# model", put.Body);
    }

    [Fact]
    public async Task UploadArtifacts_PutsEveryFileWithItsRelativePath()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "model", "weights"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "model", "MLmodel"), "flavors: {}");
        await File.WriteAllTextAsync(Path.Combine(_directory, "model", "weights", "w.bin"), "0101");
        var handler = Server();
        using var client = handler.CreateClient();

        await client.UploadArtifactsAsync("r1", Path.Combine(_directory, "model"), "model");

        Assert.Equal(
            ["/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model/MLmodel", "/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model/weights/w.bin"],
            handler.Requests.Where(r => r.Method == HttpMethod.Put).Select(r => r.Uri.AbsolutePath));
        Assert.Single(handler.Requests, r => r.Path == "/api/2.0/mlflow/runs/get");
    }

    [Fact]
    public async Task DownloadArtifact_WritesBodyToFile()
    {
        var handler = Server(request => request.Method == HttpMethod.Get
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("weights", Encoding.UTF8) }
            : new HttpResponseMessage(HttpStatusCode.MethodNotAllowed));
        using var client = handler.CreateClient();
        var target = Path.Combine(_directory, "out", "w.bin");

        await client.DownloadArtifactAsync("r1", "model/w.bin", target);

        Assert.Equal("weights", await File.ReadAllTextAsync(target));
        Assert.Contains(handler.Requests, r => r.Uri.AbsolutePath == "/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/model/w.bin");
    }

    [Fact]
    public async Task DownloadArtifact_Missing_ThrowsAndWritesNothing()
    {
        var handler = Server(_ => FakeHandler.Json("""{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "no such file"}""", HttpStatusCode.NotFound));
        using var client = handler.CreateClient();
        var target = Path.Combine(_directory, "missing.bin");

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.DownloadArtifactAsync("r1", "missing.bin", target));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, ex.ErrorCode);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task DownloadArtifact_WithDotDotPath_IsRejected()
    {
        using var client = Server().CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadArtifactAsync("r1", "../other-run/secret", Path.Combine(_directory, "x")));
    }

    [Fact]
    public async Task ListArtifacts_QueriesRunAndPath()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json(
            """{"root_uri": "mlflow-artifacts:/7/r1/artifacts", "files": [{"path": "model/MLmodel", "is_dir": false, "file_size": 11}]}"""));
        using var client = handler.CreateClient();

        var listing = await client.ListArtifactsAsync("r1", "model");

        Assert.Equal("/api/2.0/mlflow/artifacts/list?run_id=r1&path=model", Assert.Single(handler.Requests).PathAndQuery);
        Assert.Equal("mlflow-artifacts:/7/r1/artifacts", listing.RootUri);
        Assert.Equal(new ArtifactFile("model/MLmodel", false, 11), Assert.Single(listing.Files));
    }
}
