using Keel.Data;

namespace Keel.Client.Protocol;

internal sealed record ChunkIdsMessage(IReadOnlyList<string> Ids);

internal sealed record CommitVersionRequest(string? Message, DataManifest Manifest, IReadOnlyList<TableProfile> Profiles);

internal sealed record CommitVersionResponse(DatasetVersion Version, bool Created);

internal sealed record DatasetVersionsResponse(IReadOnlyList<DatasetVersion> Versions);

internal sealed record DatasetProfilesResponse(IReadOnlyList<TableProfile> Profiles);

internal sealed record SetDatasetTagRequest(string Version);
