namespace Keel.Core.Deployments;

/// <summary>
/// What a revision serves: a primary model URI, an optional canary taking a percentage of traffic, and an optional
/// shadow that scores a copy of every request without its answers ever being returned.
/// </summary>
internal sealed record DeploymentSpec(string Model, CanarySpec? Canary, string? Shadow = null);

internal sealed record CanarySpec(string Model, long Percent);

/// <summary>
/// One immutable change to a deployment. <see cref="Status"/> starts PENDING; a serving host that follows the
/// deployment reports LIVE once it answers with the revision, or FAILED (with <see cref="Message"/>) if it could not load it.
/// </summary>
internal sealed record DeploymentRevision(
    string Deployment, long Revision, DeploymentSpec Spec, string Actor, long Time, string Status, string? Message, string? Cause,
    ResolvedVersions Versions);

/// <summary>
/// The registered versions a revision's model URIs named when it was made (null where a URI named none): what hosts
/// serve for it, so replicas agree, and what a rollback to it pins.
/// </summary>
internal sealed record ResolvedVersions(long? Model, long? Canary, long? Shadow);

internal sealed record Deployment(string Name, long CreationTime, DeploymentRevision Latest);

internal static class RevisionStatus
{
    public const string Pending = "PENDING";
    public const string Live = "LIVE";
    public const string Failed = "FAILED";

    public static readonly string[] All = [Pending, Live, Failed];
}
