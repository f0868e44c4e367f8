using Keel.Client.Data;

namespace Keel.Client.Tests.Data;

public sealed class FastCdcTests
{
    private static readonly FastCdc Small = new(2 * 1024, 8 * 1024, 32 * 1024);

    private static byte[] Random(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static List<int> Cuts(FastCdc cdc, byte[] data)
    {
        var sizes = new List<int>();
        for (var offset = 0; offset < data.Length;)
        {
            var size = cdc.Cut(data.AsSpan(offset));
            sizes.Add(size);
            offset += size;
        }

        return sizes;
    }

    private static List<string> Chunks(byte[] data) => Cuts(Small, data)
        .Aggregate((Offset: 0, Ids: new List<string>()), (state, size) =>
        {
            state.Ids.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data.AsSpan(state.Offset, size))));
            return (state.Offset + size, state.Ids);
        }).Ids;

    [Fact]
    public void Cut_OnRandomData_KeepsEveryChunkWithinBoundsAndAveragesNearTheTarget()
    {
        var data = Random(4 * 1024 * 1024, seed: 1);

        var sizes = Cuts(Small, data);

        Assert.Equal(data.Length, sizes.Sum());
        Assert.All(sizes[..^1], s => Assert.InRange(s, Small.MinSize + 1, Small.MaxSize));
        Assert.InRange(sizes[^1], 1, Small.MaxSize);
        // Normalized chunking centres the distribution on the average; a broken mask would give min- or max-sized chunks.
        Assert.InRange(sizes.Average(), Small.AverageSize * 0.7, Small.AverageSize * 1.5);
    }

    [Fact]
    public void Cut_OnUniformData_CutsAtMaxSize()
    {
        var sizes = Cuts(Small, new byte[100_000]);

        Assert.All(sizes[..^1], s => Assert.Equal(Small.MaxSize, s));
    }

    [Fact]
    public void Cut_AfterAnInsertionInTheMiddle_KeepsTheChunksBeforeAndResynchronizesAfter()
    {
        var original = Random(2 * 1024 * 1024, seed: 2);
        var middle = original.Length / 2;
        var edited = original[..middle].Concat(Random(100, seed: 3)).Concat(original[middle..]).ToArray();

        var before = Chunks(original);
        var after = Chunks(edited);

        var prefix = before.Zip(after).TakeWhile(p => p.First == p.Second).Count();
        var suffix = before.AsEnumerable().Reverse().Zip(after.AsEnumerable().Reverse()).TakeWhile(p => p.First == p.Second).Count();
        // The chunks before the insertion are untouched, and after it the cuts fall where they did: only the chunk
        // holding the insertion (and at most its neighbour) differs.
        var sizes = Cuts(Small, original);
        var endingBeforeInsertion = sizes.Select((_, i) => sizes.Take(i + 1).Sum()).Count(end => end <= middle);
        Assert.Equal(endingBeforeInsertion, prefix);
        Assert.InRange(before.Count - prefix - suffix, 0, 2);
        Assert.InRange(after.Count - prefix - suffix, 1, 2);
    }

    [Fact]
    public void Cut_IsDeterministic_ForTheDefaultParameters()
    {
        var data = Random(9 * 1024 * 1024, seed: 4);

        Assert.Equal(Cuts(FastCdc.Default, data), Cuts(FastCdc.Default, data));
        Assert.All(Cuts(FastCdc.Default, data)[..^1], s => Assert.InRange(s, FastCdc.Default.MinSize + 1, FastCdc.Default.MaxSize));
    }

    [Theory]
    [InlineData(32, 64, 128)]
    [InlineData(1024, 1000, 4096)]
    [InlineData(1024, 4096, 4096)]
    public void Constructor_WithInvalidSizes_Throws(int min, int average, int max) =>
        Assert.Throws<ArgumentException>(() => new FastCdc(min, average, max));
}
