using System.Security.Cryptography;

namespace Keel.Data;

// A dataset version is a manifest of files, a file a list of chunks, a chunk the SHA-256 of its bytes. The server stores
// the manifest in its canonical JSON (files sorted by path, snake_case) and the version's digest is the SHA-256 of those
// bytes, so a client can check what it was sent. Table profiles (a later slice) attach to (version, path) from outside:
// the manifest stays immutable and its digest stable.

internal sealed record DataManifest(int Format, IReadOnlyList<DataManifestFile> Files)
{
    public const int CurrentFormat = 1;

    /// <summary>SHA-256 over the binary chunk ids in order: equal files have equal digests without a second pass over their bytes.</summary>
    public static string FileDigest(IEnumerable<string> chunkIds)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> id = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var chunk in chunkIds)
        {
            Convert.FromHexString(chunk, id, out _, out _);
            hash.AppendData(id);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>A file: its size, its digest (<see cref="DataManifest.FileDigest"/>) and its chunks.</summary>
internal sealed record DataManifestFile(string Path, long Size, string Digest, IReadOnlyList<DataManifestChunk> Chunks);

internal sealed record DataManifestChunk(string Id, long Size);
