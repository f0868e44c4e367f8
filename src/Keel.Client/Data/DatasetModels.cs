namespace Keel.Client;

/// <summary>A version of a dataset: numbered 1, 2, ... per dataset, identified by the digest of its manifest.</summary>
public sealed record DatasetVersion
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The version number.</summary>
    public long Version { get; init; }

    /// <summary>The SHA-256 of the version's manifest: equal digests mean byte-identical trees.</summary>
    public string Digest { get; init => field = value ?? ""; } = "";

    /// <summary>The message given when the version was added, if any.</summary>
    public string? Message { get; init; }

    /// <summary>When the version was added (Unix epoch milliseconds).</summary>
    public long CreationTime { get; init; }

    /// <summary>How many files the version holds.</summary>
    public long FileCount { get; init; }

    /// <summary>The total size of its files, in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The tags that point at this version.</summary>
    public IReadOnlyList<string> Tags { get; init => field = value ?? []; } = [];

    /// <summary>The version's URI for run inputs: <c>data:/NAME@VERSION</c>.</summary>
    public string Uri => $"data:/{Name}@{Version}";
}

/// <summary>What an add did: the version, and how much had to travel.</summary>
public sealed record DatasetAddResult
{
    /// <summary>The new version, or the latest one if it already held exactly these files.</summary>
    public DatasetVersion Version { get; init => field = value ?? new(); } = new();

    /// <summary>False when the data was unchanged since the latest version, so no version was created.</summary>
    public bool Created { get; init; }

    /// <summary>The number of distinct chunks the files were cut into.</summary>
    public long Chunks { get; init; }

    /// <summary>The number of chunks sent; the others were already on the server.</summary>
    public long UploadedChunks { get; init; }

    /// <summary>The bytes sent.</summary>
    public long UploadedBytes { get; init; }
}

/// <summary>How a file differs between two versions.</summary>
public enum DatasetChangeKind
{
    /// <summary>The file exists only in the newer version.</summary>
    Added,

    /// <summary>The file exists only in the older version.</summary>
    Removed,

    /// <summary>The file exists in both with different content.</summary>
    Changed,
}

/// <summary>One file that differs between two versions.</summary>
/// <param name="Path">The file's path in the dataset, with '/' separators.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="OldSize">Its size in the older version; null when added.</param>
/// <param name="NewSize">Its size in the newer version; null when removed.</param>
public sealed record DatasetFileChange(string Path, DatasetChangeKind Kind, long? OldSize, long? NewSize);

/// <summary>The file-level difference between two versions.</summary>
/// <param name="From">The version compared from.</param>
/// <param name="To">The version compared to.</param>
/// <param name="Changes">The files that differ, by path.</param>
public sealed record DatasetDiff(DatasetVersion From, DatasetVersion To, IReadOnlyList<DatasetFileChange> Changes)
{
    /// <summary>How the changed tables (files profiled in both versions) changed, by path.</summary>
    public IReadOnlyList<TableDiff> Tables { get; init => field = value ?? []; } = [];
}

/// <summary>A stored chunk that failed verification.</summary>
public sealed record DatasetChunkProblem
{
    /// <summary>The chunk's id (the SHA-256 its bytes should have).</summary>
    public string ChunkId { get; init => field = value ?? ""; } = "";

    /// <summary>What is wrong: missing from the store, or corrupted.</summary>
    public string Problem { get; init => field = value ?? ""; } = "";

    /// <summary>The files that use it, as <c>NAME@VERSION:PATH</c>.</summary>
    public IReadOnlyList<string> Files { get; init => field = value ?? []; } = [];
}

/// <summary>The result of reading back every stored chunk of a dataset.</summary>
public sealed record DatasetVerification
{
    /// <summary>The dataset's name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>How many versions were checked.</summary>
    public long Versions { get; init; }

    /// <summary>How many distinct chunks were read and hashed.</summary>
    public long Chunks { get; init; }

    /// <summary>The chunks that failed; empty when everything is intact.</summary>
    public IReadOnlyList<DatasetChunkProblem> Problems { get; init => field = value ?? []; } = [];
}

/// <summary>What the server's chunk store holds for all datasets.</summary>
/// <param name="Chunks">The number of distinct chunks.</param>
/// <param name="Bytes">Their total size.</param>
public sealed record DataStoreStats(long Chunks, long Bytes);

/// <summary>What a garbage collection of the chunk store did.</summary>
/// <param name="FreedChunks">Chunks deleted: no version referenced them and no add used them within the grace period.</param>
/// <param name="FreedBytes">Their total size.</param>
/// <param name="ReferencedChunks">Chunks kept because a version references them.</param>
/// <param name="GraceChunks">Unreferenced chunks kept because an add stored or committed them within the grace period.</param>
public sealed record DataGarbageCollection(long FreedChunks, long FreedBytes, long ReferencedChunks, long GraceChunks);
