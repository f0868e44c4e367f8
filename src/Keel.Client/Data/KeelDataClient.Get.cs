using System.Security.Cryptography;
using System.Text.Json;
using Keel.Client.Protocol;
using Keel.Data;

namespace Keel.Client;

public sealed partial class KeelDataClient
{
    private const int DownloadParallelism = 4;

    /// <summary>
    /// Writes a version's files into <paramref name="directory"/>, byte for byte. Every chunk and the manifest are
    /// verified; the tree is assembled in a temporary directory next to the target and renamed into place at the end,
    /// so a failure leaves no partial output.
    /// </summary>
    /// <param name="reference"><c>NAME@VERSION</c>, <c>NAME@latest</c>, <c>NAME@TAG</c> or <c>NAME</c>.</param>
    /// <param name="directory">The target; it must not exist, or be empty.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The version written.</returns>
    /// <exception cref="KeelApiException"><see cref="KeelErrorCodes.DataLoss"/> if a chunk or the manifest fails verification.</exception>
    /// <exception cref="IOException">The target exists and is not empty.</exception>
    public async Task<DatasetVersion> GetAsync(string reference, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
        {
            throw new IOException($"'{directory}' already exists and is not empty; choose a new directory.");
        }

        var (version, manifest) = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"'{directory}' has no parent directory.");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.keel-{Guid.NewGuid():N}");
        var files = manifest.Files.Select(f => (File: f, FullPath: SafePath(temp, f.Path))).ToList();
        Directory.CreateDirectory(temp);
        try
        {
            await Parallel.ForEachAsync(files, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = DownloadParallelism },
                async (entry, ct) =>
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(entry.FullPath)!);
                    var output = new FileStream(entry.FullPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await using (output.ConfigureAwait(false))
                    {
                        foreach (var chunk in entry.File.Chunks)
                        {
                            await output.WriteAsync(await ReadChunkAsync(chunk, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                        }
                    }
                }).ConfigureAwait(false);

            if (Directory.Exists(target))
            {
                Directory.Delete(target);
            }

            Directory.Move(temp, target);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }

        return version;
    }

    /// <summary>A version with its manifest, checked against the digest the server states and against the path rules.</summary>
    private async Task<(DatasetVersion Version, DataManifest Manifest)> GetManifestAsync(string reference, CancellationToken cancellationToken)
    {
        var version = await GetVersionAsync(reference, cancellationToken).ConfigureAwait(false);
        var path = $"datasets/{Uri.EscapeDataString(version.Name)}/versions/{Invariant(version.Version)}/manifest";
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != version.Digest)
        {
            throw IntegrityError($"the manifest of {version.Name}@{version.Version} does not match its digest {version.Digest}.");
        }

        var manifest = JsonSerializer.Deserialize(bytes, KeelJsonContext.Default.DataManifest)
            ?? throw IntegrityError($"the manifest of {version.Name}@{version.Version} is empty.");
        foreach (var file in manifest.Files)
        {
            if (DataPaths.Problem(file.Path) is { } problem)
            {
                throw IntegrityError($"the manifest of {version.Name}@{version.Version} has an unsafe path: {problem}.");
            }
        }

        return (version, manifest);
    }

    /// <summary>The full path for a manifest path, refused unless it stays under <paramref name="root"/>.</summary>
    internal static string SafePath(string root, string path)
    {
        if (DataPaths.Problem(path) is { } problem)
        {
            throw IntegrityError($"unsafe path in manifest: {problem}.");
        }

        var full = Path.GetFullPath(Path.Combine(root, path));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw IntegrityError($"unsafe path in manifest: '{path}' leaves the target directory.");
    }

    /// <summary>A chunk from the local cache when it is there and intact, else from the server (and then cached).</summary>
    private async Task<byte[]> ReadChunkAsync(DataManifestChunk chunk, CancellationToken cancellationToken)
    {
        var cached = Path.Combine(CacheDirectory, chunk.Id[..2], chunk.Id[2..]);
        if (File.Exists(cached))
        {
            var local = await File.ReadAllBytesAsync(cached, cancellationToken).ConfigureAwait(false);
            if (Matches(local, chunk))
            {
                return local;
            }

            // A damaged cache entry is only a lost shortcut: fetch the chunk again.
            File.Delete(cached);
        }

        using var response = await _http.GetAsync(new Uri(_root, "chunks/" + chunk.Id), cancellationToken).ConfigureAwait(false);
        await KeelClient.ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!Matches(bytes, chunk))
        {
            throw IntegrityError($"chunk {chunk.Id} arrived with content that does not match its id.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        var temp = cached + "." + Guid.NewGuid().ToString("N") + ".partial";
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temp, cached, overwrite: true);
        return bytes;
    }

    private static bool Matches(byte[] bytes, DataManifestChunk chunk) =>
        bytes.LongLength == chunk.Size && Convert.ToHexStringLower(SHA256.HashData(bytes)) == chunk.Id;
}
