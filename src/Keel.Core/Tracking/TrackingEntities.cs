using Microsoft.EntityFrameworkCore;

namespace Keel.Core.Tracking;

// Rows of the tracking schema. Reads and writes on the hot paths go through raw SQL in this folder;
// these classes exist so that one EF model owns the schema and its migrations.

internal sealed class ExperimentRow
{
    public long ExperimentId { get; set; }
    public required string Name { get; set; }
    public required string ArtifactLocation { get; set; }
    public required string LifecycleStage { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdateTime { get; set; }
}

internal sealed class ExperimentTagRow
{
    public long ExperimentId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class RunRow
{
    // An integer surrogate keeps the child tables (and the metric history above all) compact;
    // the 32-hex MLflow run id is stored once here.
    public long RunKey { get; set; }
    public required string RunUuid { get; set; }
    public required string Name { get; set; }
    public long ExperimentId { get; set; }
    public required string UserId { get; set; }
    public required string Status { get; set; }
    public long StartTime { get; set; }
    public long? EndTime { get; set; }
    public required string LifecycleStage { get; set; }
    public required string ArtifactUri { get; set; }
    public long? DeletedTime { get; set; }
}

internal sealed class ParamRow
{
    public long RunKey { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class RunTagRow
{
    public long RunKey { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal sealed class MetricRow
{
    public long RunKey { get; set; }
    public required string Key { get; set; }
    public long Step { get; set; }
    public long Timestamp { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
}

/// <summary>
/// PostgreSQL's metric history: the points one log-batch sent for one key, as parallel arrays. A row per
/// point cost PostgreSQL more CPU per point than the whole rest of ingest; a row per chunk costs a few
/// microseconds per thousand points. The <c>metrics</c> view unnests them (and drops exact repeats) so
/// every reader sees the same rows as on SQLite.
/// </summary>
internal sealed class MetricChunkRow
{
    public long ChunkId { get; set; }
    public long RunKey { get; set; }
    public required string Key { get; set; }
    public required long[] Steps { get; set; }
    public required long[] Timestamps { get; set; }
    public required double[] Values { get; set; }
    public required bool[] Nans { get; set; }
}

internal sealed class LatestMetricRow
{
    public long RunKey { get; set; }
    public required string Key { get; set; }
    public double Value { get; set; }
    public long Timestamp { get; set; }
    public long Step { get; set; }
    public bool IsNan { get; set; }
}

internal sealed class DatasetRow
{
    public long DatasetId { get; set; }
    public long ExperimentId { get; set; }
    public required string Name { get; set; }
    public required string Digest { get; set; }
    public required string SourceType { get; set; }
    public required string Source { get; set; }
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

internal sealed class InputRow
{
    public long RunKey { get; set; }
    public long DatasetId { get; set; }
}

internal sealed class InputTagRow
{
    public long RunKey { get; set; }
    public long DatasetId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

internal static class TrackingModel
{
    /// <summary>PostgreSQL keeps the history in chunks and reads it through a view of the SQLite table's shape.</summary>
    public static void ConfigurePostgres(ModelBuilder model)
    {
        model.Entity<MetricRow>().ToView("metrics");
        model.Entity<MetricChunkRow>(e =>
        {
            e.ToTable("metric_chunks").HasKey(x => x.ChunkId);
            e.HasIndex(x => new { x.RunKey, x.Key });
        });
    }

    public static void Configure(ModelBuilder model)
    {
        model.Entity<ExperimentRow>(e =>
        {
            e.ToTable("experiments").HasKey(x => x.ExperimentId);
            e.HasIndex(x => x.Name).IsUnique();
        });
        model.Entity<ExperimentTagRow>(e => e.ToTable("experiment_tags").HasKey(x => new { x.ExperimentId, x.Key }));
        model.Entity<RunRow>(e =>
        {
            e.ToTable("runs").HasKey(x => x.RunKey);
            e.HasIndex(x => x.RunUuid).IsUnique();
            e.HasIndex(x => new { x.ExperimentId, x.LifecycleStage, x.StartTime });
        });
        // Both also have an index on (key, substr(value, 1, 200)), created by the SearchValueIndexes migrations:
        // EF models no expression indexes.
        model.Entity<ParamRow>(e => e.ToTable("params").HasKey(x => new { x.RunKey, x.Key }));
        model.Entity<RunTagRow>(e => e.ToTable("tags").HasKey(x => new { x.RunKey, x.Key }));
        // The full key makes an exact repeat of a point a no-op (MLflow's semantics) and lets a
        // history read be one range scan of the clustered key.
        model.Entity<MetricRow>(e => e.ToTable("metrics")
            .HasKey(x => new { x.RunKey, x.Key, x.Step, x.Timestamp, x.Value, x.IsNan }));
        model.Entity<LatestMetricRow>(e =>
        {
            e.ToTable("latest_metrics").HasKey(x => new { x.RunKey, x.Key });
            e.HasIndex(x => new { x.Key, x.Value });
        });
        model.Entity<DatasetRow>(e =>
        {
            e.ToTable("datasets").HasKey(x => x.DatasetId);
            e.HasIndex(x => new { x.ExperimentId, x.Name, x.Digest }).IsUnique();
        });
        model.Entity<InputRow>(e => e.ToTable("inputs").HasKey(x => new { x.RunKey, x.DatasetId }));
        model.Entity<InputTagRow>(e => e.ToTable("input_tags").HasKey(x => new { x.RunKey, x.DatasetId, x.Key }));
    }
}
