namespace Keel.Client;

/// <summary>A file or directory among a run's artifacts.</summary>
/// <param name="Path">The path relative to the run's artifact root, with <c>/</c> separators.</param>
/// <param name="IsDir">Whether the path is a directory.</param>
/// <param name="FileSize">The size in bytes; null for directories.</param>
public sealed record ArtifactFile(string Path, bool IsDir = false, long? FileSize = null);

/// <summary>The artifacts directly under one directory of a run.</summary>
/// <param name="RootUri">The run's artifact root, such as <c>mlflow-artifacts:/1/&lt;run_id&gt;/artifacts</c>.</param>
/// <param name="Files">The files and directories in the listed directory (not recursive).</param>
public sealed record ArtifactListing(string RootUri, IReadOnlyList<ArtifactFile> Files);
