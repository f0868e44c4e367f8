using System.Security.Cryptography;
using Amazon.S3.Model;
using Keel.Client;

namespace Keel.Server.Tests;

/// <summary>Dataset chunks in a real S3-compatible store: stored under data/chunks, verified when read back.</summary>
public sealed class DataS3Tests(S3KeelServerFixture server) : IClassFixture<S3KeelServerFixture>, IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-data-s3-").FullName;

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_local, recursive: true);
    }

    private string Local(string relative) => Path.Combine(_local, relative);

    private KeelDataClient Data
    {
        get
        {
            _client.Data.CacheDirectory = Local("cache");
            return _client.Data;
        }
    }

    private void WriteSource()
    {
        var bytes = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        Directory.CreateDirectory(Local("in/nested dir"));
        File.WriteAllBytes(Local("in/nested dir/blob.bin"), bytes);
        File.WriteAllBytes(Local("in/empty"), []);
    }

    [Fact]
    public async Task AddThenGet_StoresChunksInTheBucketAndReturnsTheSameBytes()
    {
        WriteSource();
        var name = "s3-" + Guid.NewGuid().ToString("N");

        var added = await Data.AddAsync(Local("in"), name);
        await Data.GetAsync(name, Local("out"));

        Assert.Equal(File.ReadAllBytes(Local("in/nested dir/blob.bin")), File.ReadAllBytes(Local("out/nested dir/blob.bin")));
        Assert.Equal(0, new FileInfo(Local("out/empty")).Length);
        var chunkKeys = (await server.KeysAsync()).Where(k => k.StartsWith("artifacts/data/chunks/", StringComparison.Ordinal)).ToList();
        Assert.True(chunkKeys.Count >= added.Chunks, $"expected at least {added.Chunks} chunk objects, found {chunkKeys.Count}");
        Assert.Empty((await Data.VerifyAsync(name)).Problems);
    }

    [Fact]
    public async Task RmThenGc_DeletesTheRemovedVersionsChunkObjectsFromTheBucket()
    {
        // Bytes of its own: the other tests' blob.bin chunks are referenced by their versions.
        var bytes = new byte[3 * 1024 * 1024];
        new Random(8).NextBytes(bytes);
        Directory.CreateDirectory(Local("in/nested dir"));
        File.WriteAllBytes(Local("in/nested dir/blob.bin"), bytes);
        var name = "s3-gc-" + Guid.NewGuid().ToString("N");
        await Data.AddAsync(Local("in"), name);
        await File.WriteAllBytesAsync(Local("in/nested dir/blob.bin"), [1, 2, 3]);
        await Data.AddAsync(Local("in"), name);
        var before = (await server.KeysAsync()).Where(k => k.StartsWith("artifacts/data/chunks/", StringComparison.Ordinal)).ToHashSet();

        await Data.DeleteVersionAsync($"{name}@1");
        var freed = await Data.CollectGarbageAsync(TimeSpan.Zero);

        var after = (await server.KeysAsync()).Where(k => k.StartsWith("artifacts/data/chunks/", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(3 * 1024 * 1024, freed.FreedBytes);
        Assert.Equal(freed.FreedChunks, before.Count - after.Count);
        Assert.Subset(before, after);
        await Data.GetAsync(name, Local("out"));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Local("out/nested dir/blob.bin")));
    }

    [Fact]
    public async Task Get_WhenAChunkObjectIsCorrupted_FailsWithDataLossAndVerifyFindsIt()
    {
        WriteSource();
        var name = "s3-corrupt-" + Guid.NewGuid().ToString("N");
        await Data.AddAsync(Local("in"), name);
        // One of this version's own chunks: the bucket also holds other tests' chunks.
        using var manifest = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync($"/api/keel/v1/data/datasets/{name}/versions/1/manifest"));
        var ownId = manifest.RootElement.GetProperty("files").EnumerateArray().SelectMany(f => f.GetProperty("chunks").EnumerateArray())
            .Select(c => c.GetProperty("id").GetString()!).First();
        var key = $"artifacts/data/chunks/{ownId[..2]}/{ownId[2..]}";
        using var original = await server.S3.GetObjectAsync(server.Bucket, key);
        using var buffer = new MemoryStream();
        await original.ResponseStream.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        bytes[0] ^= 0xff;
        await server.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = server.Bucket, Key = key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false,
        });
        var chunkId = key["artifacts/data/chunks/".Length..].Replace("/", "", StringComparison.Ordinal);
        Assert.NotEqual(chunkId, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var error = await Assert.ThrowsAsync<KeelApiException>(() => Data.GetAsync(name, Local("out")));
        var verification = await Data.VerifyAsync(name);

        Assert.Equal(KeelErrorCodes.DataLoss, error.ErrorCode);
        Assert.False(Directory.Exists(Local("out")));
        Assert.Equal(chunkId, Assert.Single(verification.Problems).ChunkId);
    }
}
