using Keel.Core.Artifacts;

namespace Keel.Core.Models;

/// <summary>
/// A model package as a directory in an artifact store (a run's <c>model/</c>, say), so the same code reads
/// it from the local data directory or an S3 bucket. Paths are relative to the package's root.
/// </summary>
internal sealed class ModelPackageReader(IArtifactStore store, string root)
{
    private readonly string _root = ArtifactPath.Normalize(root);

    public string Root => _root;

    /// <summary>Whether a file or directory exists at the package-relative path.</summary>
    public async Task<ArtifactEntry?> FindAsync(string relativePath, CancellationToken ct)
    {
        var full = Full(relativePath);
        var slash = full.LastIndexOf('/');
        var parent = slash < 0 ? "" : full[..slash];
        var entries = await store.ListAsync(parent, relativeTo: "", ct);
        return entries.FirstOrDefault(e => e.Path == full);
    }

    public Task<Stream> OpenAsync(string relativePath, CancellationToken ct) => store.OpenReadAsync(Full(relativePath), ct);

    public async Task<byte[]> ReadAllBytesAsync(string relativePath, CancellationToken ct)
    {
        await using var stream = await OpenAsync(relativePath, ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    public async Task<string> ReadAllTextAsync(string relativePath, CancellationToken ct)
    {
        await using var stream = await OpenAsync(relativePath, ct);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    /// <exception cref="FormatException">MLmodel is not valid.</exception>
    /// <exception cref="KeelException">There is no MLmodel file.</exception>
    public async Task<MLmodel> ReadMLmodelAsync(CancellationToken ct) => MLmodel.Parse(await ReadAllTextAsync(MLmodel.FileName, ct));

    private string Full(string relativePath)
    {
        var relative = ArtifactPath.Normalize(relativePath);
        return _root.Length == 0 ? relative : _root + "/" + relative;
    }
}
