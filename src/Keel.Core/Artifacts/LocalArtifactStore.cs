using Keel.Core.Storage;
using Microsoft.Extensions.Options;

namespace Keel.Core.Artifacts;

/// <summary>Artifacts as files under the data directory; a write is visible only once complete and durable.</summary>
internal sealed class LocalArtifactStore(IOptions<StorageOptions> options) : IArtifactStore
{
    private readonly string _root = Path.GetFullPath(options.Value.ArtifactRoot);

    public async Task WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var target = ArtifactPath.Resolve(_root, path);
        if (target == _root || Directory.Exists(target))
        {
            throw KeelException.InvalidParameter($"Invalid path '{path}': it names a directory.");
        }

        // A file where the path needs a directory (a/b.zip/c when a/b.zip is a file) is the caller's mistake;
        // left to CreateDirectory it would surface as an IOException and a 500.
        for (var dir = Path.GetDirectoryName(target)!; dir.Length > _root.Length; dir = Path.GetDirectoryName(dir)!)
        {
            if (File.Exists(dir))
            {
                throw KeelException.InvalidParameter(
                    $"Invalid path '{path}': '{Path.GetRelativePath(_root, dir).Replace(Path.DirectorySeparatorChar, '/')}' is a file, not a directory.");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task CheckAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken ct)
    {
        var target = ArtifactPath.Resolve(_root, path);
        return File.Exists(target)
            ? Task.FromResult<Stream>(new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            : throw KeelException.NotFound($"No artifact found at '{path}'.");
    }

    public Task DeleteAsync(string path, CancellationToken ct)
    {
        var target = ArtifactPath.Resolve(_root, path);
        if (File.Exists(target))
        {
            File.Delete(target);
        }
        else if (Directory.Exists(target) && target != _root)
        {
            Directory.Delete(target, recursive: true);
        }
        else
        {
            throw KeelException.NotFound($"No artifact found at '{path}'.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Direct children of a directory, with paths relative to <paramref name="relativeTo"/>; empty when it does not exist.</summary>
    public Task<List<ArtifactEntry>> ListAsync(string path, string relativeTo, CancellationToken ct)
    {
        var target = ArtifactPath.Resolve(_root, path);
        var baseDir = ArtifactPath.Resolve(_root, relativeTo);
        if (!Directory.Exists(target))
        {
            return Task.FromResult(new List<ArtifactEntry>());
        }

        return Task.FromResult(new DirectoryInfo(target).EnumerateFileSystemInfos()
            .Where(i => !i.Name.EndsWith(".partial", StringComparison.Ordinal))
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => new ArtifactEntry(
                Path.GetRelativePath(baseDir, i.FullName).Replace(Path.DirectorySeparatorChar, '/'),
                i is DirectoryInfo,
                i is FileInfo f ? f.Length : null))
            .ToList());
    }
}
