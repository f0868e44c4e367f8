using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Data;

// Rows of the dataset schema. The store reads and writes them with raw, portable SQL; these classes exist so that one
// EF model owns the schema and its migrations.

internal sealed class DatasetRecordRow
{
    public long DatasetId { get; set; }
    public required string Name { get; set; }
    public long CreationTime { get; set; }

    // The last version number handed out; bumped under a row lock so replicas never hand out the same number.
    public long LastVersion { get; set; }
}

internal sealed class DatasetVersionRow
{
    public long DatasetId { get; set; }
    public long Version { get; set; }

    // SHA-256 of Manifest's UTF-8 bytes, which are stored exactly as served.
    public required string Digest { get; set; }
    public string? Message { get; set; }
    public long CreationTime { get; set; }
    public long FileCount { get; set; }
    public long Size { get; set; }
    public required string Manifest { get; set; }
}

internal sealed class DatasetTagRow
{
    public long DatasetId { get; set; }
    public required string Tag { get; set; }
    public long Version { get; set; }
}

/// <summary>A tabular file's profile in one version, as the client computed it; kept apart so the manifest's digest stays stable.</summary>
internal sealed class DatasetProfileRow
{
    public long DatasetId { get; set; }
    public long Version { get; set; }
    public required string Path { get; set; }
    public required string Profile { get; set; }
}

/// <summary>A chunk the artifact store holds in full and verified; uploads ask this index what is missing.</summary>
internal sealed class DataChunkRow
{
    public required string ChunkId { get; set; }
    public long Size { get; set; }
    public long CreationTime { get; set; }

    // When the chunk was stored or last committed in a version: garbage collection spares chunks used within its grace period.
    public long LastUsed { get; set; }

    // Set while a garbage collection deletes the chunk's blob; such a chunk counts as missing (DataStore.Gc.cs has the rule).
    public long? DeletingSince { get; set; }
}

internal static class DataModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<DatasetRecordRow>(e =>
        {
            e.ToTable("data_datasets").HasKey(x => x.DatasetId);
            e.HasIndex(x => x.Name).IsUnique();
        });
        model.Entity<DatasetVersionRow>(e =>
        {
            e.ToTable("data_versions").HasKey(x => new { x.DatasetId, x.Version });
            e.Property(x => x.Version).ValueGeneratedNever();
        });
        model.Entity<DatasetTagRow>(e => e.ToTable("data_tags").HasKey(x => new { x.DatasetId, x.Tag }));
        model.Entity<DatasetProfileRow>(e =>
        {
            e.ToTable("data_profiles").HasKey(x => new { x.DatasetId, x.Version, x.Path });
            e.Property(x => x.Version).ValueGeneratedNever();
        });
        model.Entity<DataChunkRow>(e => e.ToTable("data_chunks").HasKey(x => x.ChunkId));
    }
}
