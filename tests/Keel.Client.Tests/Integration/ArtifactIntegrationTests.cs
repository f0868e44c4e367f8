using System.Net;
using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>Artifact upload, listing and download through a real Keel server's artifact proxy.</summary>
public sealed class ArtifactIntegrationTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>, IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-artifacts-it-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    private async Task<string> CreateRunAsync()
    {
        var experimentId = await _client.CreateExperimentAsync("artifacts-" + Guid.NewGuid().ToString("N"));
        return (await _client.CreateRunAsync(experimentId)).Info.RunId;
    }

    private string WriteFile(string relativePath, int size, int seed)
    {
        var path = Path.Combine(_local, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task UploadArtifact_ThenListAndDownload_ReturnsTheSameBytes()
    {
        var runId = await CreateRunAsync();
        var file = WriteFile("model.zip", 300_000, seed: 1);

        await _client.UploadArtifactAsync(runId, file, "model");

        var root = await _client.ListArtifactsAsync(runId);
        Assert.Equal((await _client.GetRunAsync(runId)).Info.ArtifactUri, root.RootUri);
        Assert.Equal([new ArtifactFile("model", IsDir: true)], root.Files);
        Assert.Equal([new ArtifactFile("model/model.zip", FileSize: 300_000)], (await _client.ListArtifactsAsync(runId, "model")).Files);
        var downloaded = Path.Combine(_local, "download", "model.zip");
        await _client.DownloadArtifactAsync(runId, "model/model.zip", downloaded);
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(downloaded));
    }

    [Fact]
    public async Task UploadArtifacts_WithNestedDirectoriesAndUnusualNames_KeepsTheTreeAndBytes()
    {
        var runId = await CreateRunAsync();
        string[] files =
        [
            "README.md",
            "empty.txt",
            "notes/100% done #1 + more&less.txt",
            "plots/roc curve.png",
            "plots/détails/matrice de confusion.csv",
            "plots/détails/深い/データ 1.bin",
        ];
        for (var i = 0; i < files.Length; i++)
        {
            WriteFile(Path.Combine("tree", files[i]), files[i] == "empty.txt" ? 0 : 1000 + i * 7919, seed: i);
        }

        await _client.UploadArtifactsAsync(runId, Path.Combine(_local, "tree"), "report");

        Assert.Equal([new ArtifactFile("report", IsDir: true)], (await _client.ListArtifactsAsync(runId)).Files);
        var report = (await _client.ListArtifactsAsync(runId, "report")).Files;
        Assert.Equal(
            ["report/README.md", "report/empty.txt", "report/notes", "report/plots"], report.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Contains(new ArtifactFile("report/empty.txt", FileSize: 0), report);
        var details = (await _client.ListArtifactsAsync(runId, "report/plots/détails")).Files;
        Assert.Contains(new ArtifactFile("report/plots/détails/matrice de confusion.csv", FileSize: 1000 + 4 * 7919), details);
        Assert.Contains(new ArtifactFile("report/plots/détails/深い", IsDir: true), details);
        foreach (var file in files)
        {
            var downloaded = Path.Combine(_local, "download", file);
            await _client.DownloadArtifactAsync(runId, "report/" + file, downloaded);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_local, "tree", file)), await File.ReadAllBytesAsync(downloaded));
        }
    }

    [Fact]
    public async Task UploadArtifact_UnderAPathThatIsAFile_ThrowsInvalidParameterValueAndKeepsTheFile()
    {
        var runId = await CreateRunAsync();
        var file = WriteFile("model.zip", 1000, seed: 5);
        await _client.UploadArtifactAsync(runId, file, "model");

        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.UploadArtifactAsync(runId, file, "model/model.zip"));

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("model/model.zip' is a file", error.Message, StringComparison.Ordinal);
        Assert.Equal([new ArtifactFile("model/model.zip", FileSize: 1000)], (await _client.ListArtifactsAsync(runId, "model")).Files);
    }

    [Fact]
    public async Task DownloadArtifact_ThatDoesNotExist_ThrowsResourceDoesNotExistAndWritesNothing()
    {
        var runId = await CreateRunAsync();
        var target = Path.Combine(_local, "missing.bin");

        var error = await Assert.ThrowsAsync<KeelApiException>(() => _client.DownloadArtifactAsync(runId, "model/missing.bin", target));

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.False(File.Exists(target));
    }
}
