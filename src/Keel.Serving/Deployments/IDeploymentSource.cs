using Keel.Serving.Models;

namespace Keel.Serving.Deployments;

/// <summary>A model URI of a revision and the version it resolved to when the revision was made (null if none).</summary>
internal sealed record ServedUri(string Uri, long? Version);

/// <summary>What a follower needs of a revision: its number and the models it serves.</summary>
internal sealed record FollowedRevision(long Revision, ServedUri Model, ServedUri? Canary, long CanaryPercent, ServedUri? Shadow);

/// <summary>
/// Where a <see cref="DeploymentFollower"/> reads deployments, resolves and loads models, and reports revisions: the
/// tracking server over HTTP for <c>keel serve --deployment</c>, the store itself inside the Keel server.
/// </summary>
internal interface IDeploymentSource
{
    /// <summary>The deployment's latest revision; null when the deployment does not exist.</summary>
    Task<FollowedRevision?> LatestAsync(string deployment, CancellationToken ct);

    /// <summary>The version a models:/ URI names now.</summary>
    Task<(string Name, long Version)> ResolveAsync(string modelUri, CancellationToken ct);

    /// <summary>Gets the version's package and loads it.</summary>
    Task<ServedModel> LoadAsync(string name, long version, CancellationToken ct);

    /// <summary>Records what the host made of a revision: LIVE, or FAILED with why.</summary>
    Task ReportAsync(string deployment, long revision, string status, string? message, CancellationToken ct);
}

/// <summary>The deployment a follower follows no longer exists.</summary>
internal sealed class DeploymentNotFoundException(string deployment) : Exception($"Deployment '{deployment}' does not exist.");
