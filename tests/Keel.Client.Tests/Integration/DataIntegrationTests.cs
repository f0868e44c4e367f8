using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keel.Client.Data;
using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>Dataset versions through a real Keel server: round trips, dedup, integrity, references and bad input.</summary>
public abstract class DataIntegrationTests(KeelServerFixture server) : DataWorkspace(server, "keel-data-it-")
{
    private static Dictionary<string, string> Tree(string root) =>
        Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task AddThenGet_WithNestedNamesEmptyAndLargeFiles_WritesAByteIdenticalTree()
    {
        var source = Local("source");
        Write(Path.Combine(source, "README.md"), "# data\n"u8.ToArray());
        Write(Path.Combine(source, "empty.txt"), []);
        Write(Path.Combine(source, ".hidden"), "dotfile"u8.ToArray());
        Write(Path.Combine(source, "tables", "train set.csv"), "a,b\n1,2\n"u8.ToArray());
        Write(Path.Combine(source, "tables", "détails", "深い", "データ 1.bin"), RandomBytes(70_000, 1));
        Write(Path.Combine(source, "tables", "détails", "nothing here"), []);
        Write(Path.Combine(source, "large", "blob.bin"), RandomBytes(11 * 1024 * 1024 + 17, 2));
        var name = UniqueName("round trip");

        var added = await Data.AddAsync(source, name, "first cut");
        var target = Local("out/copy");
        var got = await Data.GetAsync($"{name}@1", target);

        Assert.True(added.Created);
        Assert.Equal(1, added.Version.Version);
        Assert.Equal(7, added.Version.FileCount);
        Assert.Equal("first cut", added.Version.Message);
        Assert.Equal(added.Version.Digest, got.Digest);
        Assert.Equal(Tree(source), Tree(target));
        Assert.Equal(0, new FileInfo(Path.Combine(target, "tables", "détails", "nothing here")).Length);
        Assert.Equal(["copy"], Directory.EnumerateFileSystemEntries(Local("out")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Add_OfASingleFile_StoresItUnderItsOwnName()
    {
        var file = Local("one file.csv");
        Write(file, "x,y\n"u8.ToArray());
        var name = UniqueName("single");

        await Data.AddAsync(file, name);
        await Data.GetAsync(name, Local("out"));

        Assert.Equal("x,y\n", File.ReadAllText(Local("out/one file.csv")));
    }

    [Fact]
    public async Task Add_AfterChangingOnePercentInTheMiddleOfA100MBFile_UploadsUnder5PercentNewBytes()
    {
        const int Size = 100 * 1024 * 1024;
        var bytes = RandomBytes(Size, 3);
        var file = Local("big/data.bin");
        Write(file, bytes);
        var name = UniqueName("dedup");
        var first = await Data.AddAsync(Local("big"), name);
        var storedBefore = await Data.GetStatsAsync();

        RandomBytes(Size / 100, 4).CopyTo(bytes, Size / 2);
        Write(file, bytes);
        var second = await Data.AddAsync(Local("big"), name);
        var storedAfter = await Data.GetStatsAsync();

        Assert.Equal(Size, first.UploadedBytes);
        Assert.Equal(2, second.Version.Version);
        Assert.InRange(second.UploadedBytes, Size / 100, Size / 20 - 1);
        Assert.Equal(second.UploadedBytes, storedAfter.Bytes - storedBefore.Bytes);
        await Data.GetAsync($"{name}@2", Local("out"));
        Assert.Equal(bytes, File.ReadAllBytes(Local("out/data.bin")));
    }

    [Fact]
    public async Task Add_OfUnchangedData_UploadsNothingAndCreatesNoVersion()
    {
        Write(Local("in/a.txt"), "same"u8.ToArray());
        var name = UniqueName("unchanged");
        await Data.AddAsync(Local("in"), name);

        var again = await Data.AddAsync(Local("in"), name, "again");

        Assert.False(again.Created);
        Assert.Equal(0, again.UploadedChunks);
        Assert.Equal(1, again.Version.Version);
        Assert.Single(await Data.ListVersionsAsync(name));
    }

    [Fact]
    public async Task Get_WhenAStoredChunkIsCorrupted_FailsWithAnIntegrityErrorWritesNothingAndVerifyFindsIt()
    {
        Write(Local("in/blob.bin"), RandomBytes(3 * 1024 * 1024, 5));
        Write(Local("in/ok.txt"), "fine"u8.ToArray());
        var name = UniqueName("corrupt");
        await Data.AddAsync(Local("in"), name);
        Assert.Empty((await Data.VerifyAsync(name)).Problems);
        var chunkId = FileChunker.Chunk(Local("in/blob.bin"), "blob.bin", FastCdc.Default).Chunks[1].Id;
        var stored = Path.Combine(Server.DataDirectory, "artifacts", "data", "chunks", chunkId[..2], chunkId[2..]);
        var bytes = File.ReadAllBytes(stored);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(stored, bytes);

        var error = await Assert.ThrowsAsync<KeelApiException>(() => Data.GetAsync(name, Local("out/target")));
        var verification = await Data.VerifyAsync(name);

        Assert.Equal(KeelErrorCodes.DataLoss, error.ErrorCode);
        Assert.Contains("Integrity error", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Local("out")));
        var problem = Assert.Single(verification.Problems);
        Assert.Equal(chunkId, problem.ChunkId);
        Assert.Contains("corrupted", problem.Problem, StringComparison.Ordinal);
        Assert.Equal([$"{name}@1:blob.bin"], problem.Files);
    }

    [Fact]
    public async Task Get_WithACorruptedCacheEntry_FetchesTheChunkAgain()
    {
        Write(Local("in/a.bin"), RandomBytes(1000, 6));
        var name = UniqueName("cache");
        await Data.AddAsync(Local("in"), name);
        await Data.GetAsync(name, Local("first"));
        var cached = Directory.EnumerateFiles(Data.CacheDirectory, "*", SearchOption.AllDirectories).Single();
        File.WriteAllBytes(cached, new byte[1000]);

        await Data.GetAsync(name, Local("second"));

        Assert.Equal(File.ReadAllBytes(Local("in/a.bin")), File.ReadAllBytes(Local("second/a.bin")));
    }

    [Fact]
    public async Task Get_OfAVersionSharingChunksWithOneFetchedBefore_ReadsTheSharedChunksFromTheCache()
    {
        Write(Local("in/shared.bin"), RandomBytes(600_000, 7));
        var name = UniqueName("cached");
        await Data.AddAsync(Local("in"), name);
        await Data.GetAsync($"{name}@1", Local("v1"));
        Write(Local("in/new.bin"), RandomBytes(1000, 8));
        await Data.AddAsync(Local("in"), name);
        // Break the server's copy of every shared chunk: only the cache can still supply them.
        foreach (var chunk in FileChunker.Chunk(Local("in/shared.bin"), "shared.bin", FastCdc.Default).Chunks)
        {
            File.WriteAllBytes(Path.Combine(Server.DataDirectory, "artifacts", "data", "chunks", chunk.Id[..2], chunk.Id[2..]), [0]);
        }

        await Data.GetAsync($"{name}@2", Local("v2"));

        Assert.Equal(File.ReadAllBytes(Local("in/shared.bin")), File.ReadAllBytes(Local("v2/shared.bin")));
        Assert.Equal(File.ReadAllBytes(Local("in/new.bin")), File.ReadAllBytes(Local("v2/new.bin")));
    }

    [Fact]
    public async Task Get_IntoANonEmptyDirectory_RefusesAndLeavesItAlone()
    {
        Write(Local("in/a.txt"), "a"u8.ToArray());
        Write(Local("target/keep.txt"), "mine"u8.ToArray());
        var name = UniqueName("nonempty");
        await Data.AddAsync(Local("in"), name);

        await Assert.ThrowsAsync<IOException>(() => Data.GetAsync(name, Local("target")));

        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(Local("target")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Versions_AreNumberedPerDataset_AndResolveByNumberLatestAndTag()
    {
        var name = UniqueName("refs");
        for (var i = 1; i <= 3; i++)
        {
            Write(Local("in/v.txt"), [(byte)i]);
            await Data.AddAsync(Local("in"), name, $"v{i}");
        }

        await Data.TagAsync($"{name}@2", "prod");

        Assert.Equal([1L, 2, 3], (await Data.ListVersionsAsync(name)).Select(v => v.Version));
        Assert.Equal(3, (await Data.GetVersionAsync($"{name}@latest")).Version);
        Assert.Equal(3, (await Data.GetVersionAsync(name)).Version);
        var prod = await Data.GetVersionAsync($"{name}@prod");
        Assert.Equal(2, prod.Version);
        Assert.Equal(["prod"], prod.Tags);
        await Data.TagAsync($"{name}@3", "prod");
        Assert.Equal(3, (await Data.GetVersionAsync($"{name}@prod")).Version);
        var missing = await Assert.ThrowsAsync<KeelApiException>(() => Data.GetVersionAsync($"{name}@9"));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
        var badTag = await Assert.ThrowsAsync<KeelApiException>(() => Data.TagAsync($"{name}@1", "7"));
        Assert.Equal(KeelErrorCodes.InvalidParameterValue, badTag.ErrorCode);
    }

    [Fact]
    public async Task Diff_ListsAddedRemovedAndChangedFilesWithSizes()
    {
        var name = UniqueName("diff");
        Write(Local("in/same.txt"), "same"u8.ToArray());
        Write(Local("in/changes.txt"), "12"u8.ToArray());
        Write(Local("in/goes.txt"), "bye"u8.ToArray());
        await Data.AddAsync(Local("in"), name);
        File.Delete(Local("in/goes.txt"));
        Write(Local("in/changes.txt"), "12345"u8.ToArray());
        Write(Local("in/new/comes.txt"), "hello"u8.ToArray());
        await Data.AddAsync(Local("in"), name);

        var diff = await Data.DiffAsync($"{name}@1", $"{name}@2");

        Assert.Equal(
            [
                new DatasetFileChange("changes.txt", DatasetChangeKind.Changed, 2, 5),
                new DatasetFileChange("goes.txt", DatasetChangeKind.Removed, 3, null),
                new DatasetFileChange("new/comes.txt", DatasetChangeKind.Added, null, 5),
            ],
            diff.Changes);
    }

    [Fact]
    public async Task DeleteVersion_KeepsTaggedVersionsAndRunInputs_AndDeletesUnreferencedOnes()
    {
        var name = UniqueName("rm");
        for (var i = 1; i <= 3; i++)
        {
            Write(Local("in/v.txt"), [(byte)i]);
            await Data.AddAsync(Local("in"), name);
        }

        await Data.TagAsync($"{name}@1", "golden");
        var experimentId = await Client.CreateExperimentAsync(UniqueName("rm-exp"));
        var run = await Client.CreateRunAsync(experimentId);
        var logged = await Data.LogInputAsync(run.Info.RunId, $"{name}@2", "training");

        var tagged = await Assert.ThrowsAsync<KeelApiException>(() => Data.DeleteVersionAsync($"{name}@1"));
        var used = await Assert.ThrowsAsync<KeelApiException>(() => Data.DeleteVersionAsync($"{name}@2"));
        await Data.DeleteVersionAsync($"{name}@3");
        Write(Local("in/v.txt"), [4]);
        var next = await Data.AddAsync(Local("in"), name);

        Assert.Equal(KeelErrorCodes.InvalidState, tagged.ErrorCode);
        Assert.Contains("'golden'", tagged.Message, StringComparison.Ordinal);
        Assert.Equal(KeelErrorCodes.InvalidState, used.ErrorCode);
        Assert.Contains($"data:/{name}@2", used.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2, 4], (await Data.ListVersionsAsync(name)).Select(v => v.Version));
        Assert.Equal(4, next.Version.Version);
        var input = Assert.Single((await Client.GetRunAsync(run.Info.RunId)).Inputs.DatasetInputs);
        Assert.Equal(logged.Uri, input.Dataset.Source);
        Assert.Equal("keel", input.Dataset.SourceType);
    }

    [Fact]
    public async Task PutChunk_WhoseBytesDoNotMatchItsId_IsRefusedAndNothingIsStored()
    {
        var before = await Data.GetStatsAsync();
        var id = Convert.ToHexStringLower(SHA256.HashData("expected"u8));

        using var response = await Server.Http.PutAsync($"/api/keel/v1/data/chunks/{id}", new ByteArrayContent("tampered"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await Data.GetStatsAsync());
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("C:/x")]
    public async Task Commit_WithAPathThatLeavesTheTarget_IsRefusedAndNoVersionIsRecorded(string path)
    {
        var chunk = "hello"u8.ToArray();
        var id = Convert.ToHexStringLower(SHA256.HashData(chunk));
        (await Server.Http.PutAsync($"/api/keel/v1/data/chunks/{id}", new ByteArrayContent(chunk))).EnsureSuccessStatusCode();
        var name = UniqueName("escape");
        var digest = Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(id)));
        var manifest = new { format = 1, files = new[] { new { path, size = 5, digest, chunks = new[] { new { id, size = 5 } } } } };

        using var response = await Server.Http.PostAsJsonAsync($"/api/keel/v1/data/datasets/{name}/versions", new { manifest });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid manifest path", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<KeelApiException>(() => Data.ListVersionsAsync(name));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
    }

    [Fact]
    public async Task Commit_WithChunksTheServerDoesNotHave_IsRefused()
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Guid.NewGuid().ToByteArray()));
        var digest = Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(id)));
        var manifest = new { format = 1, files = new[] { new { path = "a.bin", size = 16, digest, chunks = new[] { new { id, size = 16 } } } } };

        using var response = await Server.Http.PostAsJsonAsync($"/api/keel/v1/data/datasets/{UniqueName("missing")}/versions", new { manifest });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("INVALID_STATE", body, StringComparison.Ordinal);
        Assert.Contains("not stored", body, StringComparison.Ordinal);
    }
}

public sealed class DataIntegrationTestsOnSqlite(KeelServerFixture server) : DataIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class DataIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : DataIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
