namespace Keel.Client.Data;

/// <summary>
/// FastCDC content-defined chunking (Xia et al., USENIX ATC 2016; normalized chunking level 2 as in the 2020 TPDS paper):
/// a gear rolling hash picks cut points from the content itself, so an insertion moves only the boundaries near it and a
/// new version of a large file shares every chunk away from the edit. No maintained .NET implementation is served, hence
/// this one.
/// </summary>
internal sealed class FastCdc
{
    // Fixed forever: a different table cuts different chunks, and every stored version would stop deduplicating.
    private static readonly ulong[] Gear = CreateGear(0x6b65656c_66617374UL);

    private readonly ulong _maskSmall;
    private readonly ulong _maskLarge;

    public FastCdc(int minSize, int averageSize, int maxSize)
    {
        if (minSize < 64 || averageSize <= minSize || maxSize <= averageSize || !int.IsPow2(averageSize))
        {
            throw new ArgumentException("Chunk sizes must satisfy 64 <= min < average < max, with a power-of-two average.");
        }

        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
        var bits = int.Log2(averageSize);
        // The top bits of a shift-left gear hash depend on the last 64 bytes; the low bits on only the last few.
        // Normalization: harder to cut before the average size, easier after it.
        _maskSmall = TopBits(bits + 2);
        _maskLarge = TopBits(bits - 2);
    }

    /// <summary>
    /// What Keel uses: 128 KiB to 2 MiB, 512 KiB on average. Smaller chunks deduplicate edits more finely; larger ones
    /// mean fewer requests and index rows (a 2 GB add is about 4,000 chunks).
    /// </summary>
    public static FastCdc Default { get; } = new(128 * 1024, 512 * 1024, 2 * 1024 * 1024);

    public int MinSize { get; }

    public int AverageSize { get; }

    public int MaxSize { get; }

    /// <summary>
    /// The length of the first chunk of <paramref name="data"/>. Unless <paramref name="data"/> ends the input, it must
    /// hold at least <see cref="MaxSize"/> bytes, so that a cut never depends on where a read happened to stop.
    /// </summary>
    public int Cut(ReadOnlySpan<byte> data)
    {
        if (data.Length <= MinSize)
        {
            return data.Length;
        }

        var end = Math.Min(data.Length, MaxSize);
        var normal = Math.Min(end, AverageSize);
        var gear = Gear;
        ulong hash = 0;
        var i = MinSize;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + gear[data[i]];
            if ((hash & _maskSmall) == 0)
            {
                return i + 1;
            }
        }

        for (; i < end; i++)
        {
            hash = (hash << 1) + gear[data[i]];
            if ((hash & _maskLarge) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }

    private static ulong TopBits(int count) => ulong.MaxValue << (64 - count);

    // SplitMix64: a fixed, well-mixed table without shipping 256 literals.
    private static ulong[] CreateGear(ulong seed)
    {
        var table = new ulong[256];
        for (var i = 0; i < table.Length; i++)
        {
            seed += 0x9E3779B97F4A7C15UL;
            var z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            table[i] = z ^ (z >> 31);
        }

        return table;
    }
}
