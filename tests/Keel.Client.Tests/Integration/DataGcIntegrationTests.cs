using System.Text.Json;
using Keel.Testing;

namespace Keel.Client.Tests.Integration;

/// <summary>
/// Chunk garbage collection through a real server: what it frees after a version is removed, what it keeps, and adds
/// that race it. Most collections here use a zero grace period, which frees every unreferenced chunk of this class's server.
/// </summary>
public abstract class DataGcIntegrationTests(KeelServerFixture server) : DataWorkspace(server, "keel-gc-it-")
{
    private const int FileBytes = 700 * 1024;

    private static byte[] Random(int seed) => RandomBytes(FileBytes, seed);

    private async Task<Dictionary<string, List<string>>> ChunksByFileAsync(string name, long version)
    {
        var json = await Server.Http.GetStringAsync($"/api/keel/v1/data/datasets/{name}/versions/{version}/manifest");
        using var manifest = JsonDocument.Parse(json);
        return manifest.RootElement.GetProperty("files").EnumerateArray().ToDictionary(
            f => f.GetProperty("path").GetString()!,
            f => f.GetProperty("chunks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList());
    }

    private bool BlobExists(string chunkId) =>
        Directory.EnumerateFiles(Server.DataDirectory, chunkId[2..], SearchOption.AllDirectories).Any();

    [Fact]
    public async Task RmThenGc_DeletesExactlyTheChunksNoRemainingVersionUses_AndTheRestStillReadsBack()
    {
        var name = UniqueName("gc");
        Write(Local("v1/shared.bin"), Random(1));
        Write(Local("v1/old.bin"), Random(2));
        Write(Local("v2/shared.bin"), Random(1));
        Write(Local("v2/new.bin"), Random(3));
        await Data.AddAsync(Local("v1"), name);
        await Data.AddAsync(Local("v2"), name);
        var v1 = await ChunksByFileAsync(name, 1);
        await Data.CollectGarbageAsync(TimeSpan.Zero);
        var before = await Data.GetStatsAsync();

        await Data.DeleteVersionAsync($"{name}@1");
        var freed = await Data.CollectGarbageAsync(TimeSpan.Zero);
        var again = await Data.CollectGarbageAsync(TimeSpan.Zero);

        Assert.Equal((v1["old.bin"].Count, (long)FileBytes), (freed.FreedChunks, freed.FreedBytes));
        Assert.Equal(0, freed.GraceChunks);
        Assert.Equal((0L, 0L), (again.FreedChunks, again.FreedBytes));
        var after = await Data.GetStatsAsync();
        Assert.Equal((before.Chunks - freed.FreedChunks, before.Bytes - FileBytes), (after.Chunks, after.Bytes));
        Assert.All(v1["old.bin"], id => Assert.False(BlobExists(id), $"chunk {id} is still in the artifact store"));
        Assert.All(v1["shared.bin"], id => Assert.True(BlobExists(id), $"shared chunk {id} was deleted"));
        await Data.GetAsync($"{name}@2", Local("out"));
        Assert.Equal(Random(1), File.ReadAllBytes(Local("out/shared.bin")));
        Assert.Equal(Random(3), File.ReadAllBytes(Local("out/new.bin")));
        Assert.Empty((await Data.VerifyAsync(name)).Problems);
    }

    [Fact]
    public async Task Gc_KeepsUnreferencedChunksUsedWithinTheGracePeriod()
    {
        var name = UniqueName("gc-grace");
        Write(Local("in/a.bin"), Random(4));
        await Data.AddAsync(Local("in"), name);
        await File.WriteAllTextAsync(Local("in/b.txt"), "keep the version list non-empty");
        File.Delete(Local("in/a.bin"));
        await Data.AddAsync(Local("in"), name);
        await Data.DeleteVersionAsync($"{name}@1");
        var chunks = (await ChunksByFileAsync(name, 2)).Count;

        var kept = await Data.CollectGarbageAsync();

        Assert.Equal((0L, 0L), (kept.FreedChunks, kept.FreedBytes));
        Assert.True(kept.GraceChunks >= 1, $"grace chunks {kept.GraceChunks}");
        Assert.True(kept.ReferencedChunks >= chunks);
        Assert.True((await Data.CollectGarbageAsync(TimeSpan.Zero)).FreedBytes >= FileBytes);
    }

    [Fact]
    public async Task Gc_WithANegativeGrace_IsRefused()
    {
        var error = await Assert.ThrowsAsync<KeelApiException>(() => Data.CollectGarbageAsync(TimeSpan.FromSeconds(-1)));

        Assert.Equal(KeelErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    [Fact]
    public async Task Add_WhoseChunksAreCollectedBetweenItsQuestionAndItsCommit_SendsThemAgainAndCommitsAWholeVersion()
    {
        var name = UniqueName("gc-retry");
        Write(Local("seed/a.bin"), Random(5));
        await Data.AddAsync(Local("seed"), name);
        await File.WriteAllBytesAsync(Local("seed/a.bin"), [1]);
        await Data.AddAsync(Local("seed"), name);
        await Data.DeleteVersionAsync($"{name}@1");
        Write(Local("in/a.bin"), Random(5));
        using var collectBeforeFirstCommit = new CollectBeforeFirstCommitHandler(Client);
        using var http = new HttpClient(collectBeforeFirstCommit) { BaseAddress = Server.BaseAddress };
        using var racer = new KeelClient(http);
        racer.Data.CacheDirectory = Local("racer-cache");

        var added = await racer.Data.AddAsync(Local("in"), name);

        Assert.True(collectBeforeFirstCommit.Freed!.FreedBytes >= FileBytes, $"freed {collectBeforeFirstCommit.Freed.FreedBytes} bytes");
        Assert.Equal((3L, (long)FileBytes), (added.Version.Version, added.UploadedBytes));
        Assert.Empty((await Data.VerifyAsync(name)).Problems);
        await Data.GetAsync($"{name}@3", Local("out"));
        Assert.Equal(Random(5), File.ReadAllBytes(Local("out/a.bin")));
    }

    /// <summary>Runs one zero-grace collection just before the first commit passes, as a collection on another replica could.</summary>
    private sealed class CollectBeforeFirstCommitHandler(KeelClient collector) : DelegatingHandler(new SocketsHttpHandler())
    {
        public DataGarbageCollection? Freed { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Freed is null && request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/versions", StringComparison.Ordinal))
            {
                Freed = await collector.Data.CollectGarbageAsync(TimeSpan.Zero, cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Adds_RacingCollections_OfChunksTheServerCalledPresent_AllCommitCompleteVersions()
    {
        // Every chunk of these files is stored but unreferenced: each add below is told they are present, so a collection
        // between that answer and the commit takes chunks the add relies on.
        const int Adds = 6;
        var seed = UniqueName("gc-seed");
        for (var i = 0; i < Adds; i++)
        {
            Write(Local($"seed/f{i}.bin"), Random(100 + i));
            Write(Local($"in{i}/f{i}.bin"), Random(100 + i));
        }

        await Data.AddAsync(Local("seed"), seed);
        await File.WriteAllTextAsync(Local("seed/keep.txt"), "x");
        for (var i = 0; i < Adds; i++)
        {
            File.Delete(Local($"seed/f{i}.bin"));
        }

        await Data.AddAsync(Local("seed"), seed);
        await Data.DeleteVersionAsync($"{seed}@1");
        // The grace period the collections use, passed for the seed's chunks; chunks the adds upload again stay inside it,
        // as they do with the default hour, so a refused commit's second attempt is not collected too.
        var grace = TimeSpan.FromSeconds(2);
        await Task.Delay(grace + TimeSpan.FromMilliseconds(500));

        var names = Enumerable.Range(0, Adds).Select(i => UniqueName($"gc-race{i}")).ToArray();
        var adds = names.Select((name, i) => Task.Run(() => Data.AddAsync(Local($"in{i}"), name))).ToList();
        var collections = Task.Run(async () =>
        {
            for (var round = 0; round < 4; round++)
            {
                await Data.CollectGarbageAsync(grace);
            }
        });
        await Task.WhenAll([.. adds, collections]);

        for (var i = 0; i < Adds; i++)
        {
            Assert.Empty((await Data.VerifyAsync(names[i])).Problems);
            await Data.GetAsync(names[i], Local($"out{i}"));
            Assert.Equal(Random(100 + i), File.ReadAllBytes(Local($"out{i}/f{i}.bin")));
        }
    }
}

public sealed class DataGcIntegrationTestsOnSqlite(KeelServerFixture server) : DataGcIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class DataGcIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : DataGcIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
