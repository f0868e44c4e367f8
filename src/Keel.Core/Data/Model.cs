namespace Keel.Core.Data;

internal sealed record DataVersion(
    string Name, long Version, string Digest, string? Message, long CreationTime, long FileCount, long Size, IReadOnlyList<string> Tags);

/// <summary>The version a commit produced, or the latest one when it already held exactly this manifest.</summary>
internal sealed record DataCommit(DataVersion Version, bool Created);

internal sealed record DataChunkProblem(string ChunkId, string Problem, IReadOnlyList<string> Files);

internal sealed record DataVerification(string Name, long Versions, long Chunks, IReadOnlyList<DataChunkProblem> Problems);

internal sealed record DataStats(long Chunks, long Bytes);

/// <summary>What a collection freed, and what it kept: chunks some version references, and unreferenced ones still in the grace period.</summary>
internal sealed record DataGcResult(long FreedChunks, long FreedBytes, long ReferencedChunks, long GraceChunks);

internal sealed record DataLineageRun(string RunId, string RunName, string ExperimentId, string Status, string LifecycleStage, long StartTime);

internal sealed record DataLineageModelVersion(string Name, string Version, string RunId, string CurrentStage);

/// <summary>What used a version: runs that logged it as an input, and model versions registered from those runs.</summary>
internal sealed record DataLineage(DataVersion Version, string Uri, IReadOnlyList<DataLineageRun> Runs, IReadOnlyList<DataLineageModelVersion> ModelVersions);
