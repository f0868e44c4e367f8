using Keel.Core.Auth;

namespace Keel.Server;

/// <summary>
/// The explicit access rule every endpoint carries as metadata; <see cref="Authorisation"/> enforces it. An endpoint
/// without one is refused when authentication is on, and a test fails the build for it.
/// </summary>
internal sealed record KeelPolicy(KeelPolicy.Access Kind, ResourceKind Resource = ResourceKind.Workspace, Permission Permission = Permission.Read,
    ResourceLocator? Locate = null, Permission? Write = null)
{
    /// <summary>What the request needs: <see cref="Write"/>, when set, for methods that change things (a UI page's form posts).</summary>
    public Permission For(string method) => Write is { } write && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) ? write : Permission;

    public enum Access
    {
        /// <summary>Anyone, signed in or not (health, version, the UI's static files).</summary>
        Public,

        /// <summary>
        /// Any signed-in user; the handler decides the rest: their own tokens and password, admins' user management, and
        /// searches and lists that return only what the caller may read.
        /// </summary>
        SignedIn,

        /// <summary>A permission on the workspace or on the resource <see cref="Locate"/> finds in the request.</summary>
        Resource,
    }

    public static readonly KeelPolicy Public = new(Access.Public);
    public static readonly KeelPolicy SignedIn = new(Access.SignedIn);

    public override string ToString() => Kind == Access.Resource ? $"{Permission} on {Resource}" : Kind.ToString();
}

/// <summary>
/// Finds the resources a request acts on (experiment ids, model or deployment names); none when it names none, or only
/// unknown ones, and then the workspace role decides.
/// </summary>
internal delegate ValueTask<IReadOnlyList<string>> ResourceLocator(RequestFields request, GrantStore grants, CancellationToken ct);

internal static class KeelPolicyExtensions
{
    public static TBuilder AllowAnonymous<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(KeelPolicy.Public);

    public static TBuilder RequireSignedIn<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(KeelPolicy.SignedIn);

    /// <summary>Needs <paramref name="permission"/> on the workspace.</summary>
    public static TBuilder RequireKeelPermission<TBuilder>(this TBuilder builder, Permission permission)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new KeelPolicy(KeelPolicy.Access.Resource, ResourceKind.Workspace, permission));

    /// <summary>Needs <paramref name="permission"/> on the resource <paramref name="locate"/> finds, or on the workspace when it finds none.</summary>
    public static TBuilder RequireKeelPermission<TBuilder>(this TBuilder builder, ResourceKind kind, Permission permission, ResourceLocator locate)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new KeelPolicy(KeelPolicy.Access.Resource, kind, permission, locate));
}

/// <summary>How MLflow's and Keel's requests name the resource they act on.</summary>
internal static class Locate
{
    /// <summary>experiment_id, else run_id (or run_uuid, or the route's runId) → its experiment, else experiment_name.</summary>
    public static readonly ResourceLocator Experiment = async (request, grants, ct) =>
    {
        if (await request.FieldsAsync("experiment_id", ct) is { Count: > 0 } ids)
        {
            return ids;
        }

        var runs = await request.FieldsAsync("run_id", ct);
        runs = runs.Count > 0 ? runs : await request.FieldsAsync("run_uuid", ct);
        runs = runs.Count > 0 ? runs : await request.FieldsAsync("runId", ct);
        var experiments = new List<string>();
        foreach (var run in runs)
        {
            if (await grants.ExperimentOfRunAsync(run, ct) is { } experiment)
            {
                experiments.Add(experiment);
            }
        }

        if (runs.Count > 0)
        {
            return experiments;
        }

        return await request.FieldAsync("experiment_name", ct) is { } name && await grants.ExperimentNamedAsync(name, ct) is { } named ? [named] : [];
    };

    /// <summary>A registered model by name (MLflow's name field, or the route's), or the prediction log's model query.</summary>
    public static readonly ResourceLocator Model = async (request, _, ct) =>
        await request.FieldAsync("name", ct) is { } name ? [name] : await request.FieldsAsync("model", ct);

    /// <summary>A deployment by the route's {name}, or the deployment field of a body or query.</summary>
    public static readonly ResourceLocator Deployment = async (request, _, ct) =>
        request.Route("name") is { } name ? [name] : await request.FieldsAsync("deployment", ct);

    /// <summary>A monitor's deployment: monitors are read and changed with the rights on what they watch.</summary>
    public static readonly ResourceLocator MonitorDeployment = async (request, grants, ct) =>
        request.Route("name") is { } monitor
            ? await grants.DeploymentOfMonitorAsync(monitor, ct) is { } deployment ? [deployment] : []
            : await request.FieldsAsync("deployment", ct);

    /// <summary>The proxy's artifact paths start with the experiment id (mlflow-artifacts:/{experiment_id}/{run_id}/artifacts/...).</summary>
    public static readonly ResourceLocator ArtifactExperiment = async (request, _, ct) =>
        (request.Route("path") ?? await request.FieldAsync("path", ct))?.TrimStart('/').Split('/')[0] is { Length: > 0 } first ? [first] : [];
}
