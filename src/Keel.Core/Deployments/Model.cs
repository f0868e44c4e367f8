using Keel.Core.Registry;

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

/// <summary>Where a deployment's latest revision serves a model version: as its primary, its canary or its shadow.</summary>
internal sealed record ServingRole(Deployment Deployment, string Role, long? Percent);

internal static class DeploymentRoles
{
    /// <summary>
    /// The roles in which the deployments' latest revisions serve version <paramref name="version"/> of
    /// <paramref name="model"/>, by the versions each revision resolved when it was made (what its hosts serve),
    /// not by what an alias or stage means now.
    /// </summary>
    public static IReadOnlyList<ServingRole> Serving(IEnumerable<Deployment> deployments, string model, long version)
    {
        var roles = new List<ServingRole>();
        foreach (var deployment in deployments)
        {
            var (spec, resolved) = (deployment.Latest.Spec, deployment.Latest.Versions);
            if (resolved.Model == version && Names(spec.Model, model))
            {
                roles.Add(new ServingRole(deployment, "primary", spec.Canary is { } c ? 100 - c.Percent : 100));
            }

            if (spec.Canary is { } canary && resolved.Canary == version && Names(canary.Model, model))
            {
                roles.Add(new ServingRole(deployment, "canary", canary.Percent));
            }

            if (spec.Shadow is { } shadow && resolved.Shadow == version && Names(shadow, model))
            {
                roles.Add(new ServingRole(deployment, "shadow", null));
            }
        }

        return roles;
    }

    private static bool Names(string uri, string model) => ModelUri.Parse(uri) switch
    {
        ModelUri.ModelVersion v => v.Name == model,
        ModelUri.ModelAlias a => a.Name == model,
        ModelUri.ModelStage s => s.Name == model,
        _ => false,
    };
}
