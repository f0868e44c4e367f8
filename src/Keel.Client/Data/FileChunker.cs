using System.Buffers;
using System.Security.Cryptography;
using Keel.Data;

namespace Keel.Client.Data;

/// <summary>A chunk of a local file: where it is, so an upload can read it again without keeping it in memory.</summary>
internal readonly record struct LocalChunk(string Id, long Offset, int Size);

internal sealed record LocalFile(string FullPath, string Path, long Size, string Digest, IReadOnlyList<LocalChunk> Chunks)
{
    public DataManifestFile ToManifest() => new(Path, Size, Digest, Chunks.Select(c => new DataManifestChunk(c.Id, c.Size)).ToList());
}

/// <summary>Reads a file once: cuts it into chunks and hashes each.</summary>
internal static class FileChunker
{
    // Refills move the bytes after the last cut to the front; with room for several maximal chunks that copy stays small
    // next to each read.
    private const int BufferChunks = 4;

    /// <summary>Cuts and hashes a file; <paramref name="onChunk"/> sees each chunk as soon as it is hashed, so uploads can start.</summary>
    public static LocalFile Chunk(string fullPath, string path, FastCdc cdc, Action<LocalChunk>? onChunk = null)
    {
        var chunks = new List<LocalChunk>();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        using var file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        // Pooled, and no bigger than the file: a tree of many small files must not allocate 4 MiB for each.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(cdc.MaxSize * (long)BufferChunks, file.Length + 1));
        long offset = 0;
        try
        {
            int start = 0, end = 0;
            var eof = false;
            while (true)
            {
                // Keep at least MaxSize bytes ahead of the cut (or the rest of the file), so cuts depend on content only.
                if (!eof && end - start < cdc.MaxSize)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    while (end < buffer.Length)
                    {
                        var read = file.Read(buffer, end, buffer.Length - end);
                        if (read == 0)
                        {
                            eof = true;
                            break;
                        }

                        end += read;
                    }
                }

                if (start == end)
                {
                    break;
                }

                var size = cdc.Cut(buffer.AsSpan(start, end - start));
                SHA256.HashData(buffer.AsSpan(start, size), hash);
                var chunk = new LocalChunk(Convert.ToHexStringLower(hash), offset, size);
                chunks.Add(chunk);
                onChunk?.Invoke(chunk);
                start += size;
                offset += size;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new LocalFile(fullPath, path, offset, DataManifest.FileDigest(chunks.Select(c => c.Id)), chunks);
    }
}
