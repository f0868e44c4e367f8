namespace Keel.Core.Artifacts;

internal sealed record ArtifactEntry(string Path, bool IsDir, long? FileSize);

/// <summary>
/// Where artifact bytes live: the local data directory by default, an S3-compatible bucket at scale.
/// Paths are relative and are checked by <see cref="ArtifactPath"/> before they reach a store.
/// </summary>
internal interface IArtifactStore
{
    /// <summary>Stores the stream at the path; readers see the artifact only once it is complete.</summary>
    Task WriteAsync(string path, Stream content, CancellationToken ct);

    /// <summary>A stream over the artifact's bytes, read as the caller consumes it.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>Deletes a file, or a directory and everything under it.</summary>
    Task DeleteAsync(string path, CancellationToken ct);

    /// <summary>Throws unless the store answers (the bucket is reachable, the directory exists or can be made).</summary>
    Task CheckAsync(CancellationToken ct);

    /// <summary>Direct children of a directory, with paths relative to <paramref name="relativeTo"/>; empty when it does not exist.</summary>
    Task<List<ArtifactEntry>> ListAsync(string path, string relativeTo, CancellationToken ct);
}
