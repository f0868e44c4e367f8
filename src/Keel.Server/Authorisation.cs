using Keel.Core;
using Keel.Core.Auth;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// Enforces each endpoint's <see cref="KeelPolicy"/> once authentication has said who is calling. A refusal is
/// PERMISSION_DENIED (403) in MLflow's error body on MLflow's routes and as ProblemDetails on Keel's, through the
/// one exception handler. With authentication off nothing is checked: the embedded single-user server stays open.
/// </summary>
internal sealed class Authorisation(RequestDelegate next, IOptions<AuthOptions> options, GrantStore grants)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!options.Value.Enabled || http.GetEndpoint() is not { } endpoint)
        {
            await next(http);
            return;
        }

        var policy = endpoint.Metadata.GetMetadata<KeelPolicy>()
            ?? throw new KeelException(ErrorCodes.PermissionDenied, $"Permission denied: {endpoint.DisplayName} has no access policy.");
        if (policy.Kind == KeelPolicy.Access.Resource && RequestUser.Authenticated(http) is { } user)
        {
            var resources = policy.Locate is null ? [] : await policy.Locate(new RequestFields(http), grants, http.RequestAborted);
            foreach (var resource in resources.Count == 0 ? [null] : resources.Distinct().Cast<string?>())
            {
                var role = await grants.EffectiveRoleAsync(user.Id, resource is null ? ResourceKind.Workspace : policy.Resource, resource, http.RequestAborted);
                if (!role.Allows(policy.For(http.Request.Method)))
                {
                    var what = resource is null ? "the workspace" : $"{policy.Resource.TypeName()} '{resource}'";
                    throw new KeelException(ErrorCodes.PermissionDenied,
                        $"Permission denied: {user.Name} is {role.Name()} on {what}; this needs {policy.For(http.Request.Method).ToString().ToLowerInvariant()}.");
                }
            }
        }

        await next(http);
    }

    /// <summary>What the caller may read, for a paged search to filter in SQL; null when everything is visible.</summary>
    public static async Task<ReadScope?> ScopeAsync(HttpContext http, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled && RequestUser.Authenticated(http) is { } user
            ? await http.RequestServices.GetRequiredService<GrantStore>().ScopeAsync(user.Id, ct)
            : null;

    /// <summary>The resources of <paramref name="ids"/> the caller may read, in order; all of them when authorisation is off.</summary>
    public static async Task<IReadOnlyList<string>> ReadableAsync(HttpContext http, ResourceKind kind, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (!http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled || RequestUser.Authenticated(http) is not { } user)
        {
            return ids;
        }

        var grants = http.RequestServices.GetRequiredService<GrantStore>();
        var readable = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if ((await grants.EffectiveRoleAsync(user.Id, kind, id, ct)).Allows(Permission.Read))
            {
                readable.Add(id);
            }
        }

        return readable;
    }

    /// <summary>Grants on a renamed model follow it (MLflow's auth plugin does the same).</summary>
    public static Task MoveAsync(HttpContext http, ResourceKind kind, string from, string to, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<GrantStore>().MoveAsync(kind, from, to, ct);

    /// <summary>Grants on a deleted name go with it, so whoever creates that name next starts from the workspace role.</summary>
    public static Task ForgetAsync(HttpContext http, ResourceKind kind, string name, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<GrantStore>().MoveAsync(kind, name, null, ct);

    /// <summary>Makes the signed-in, non-admin creator of a resource its admin.</summary>
    public static Task GrantCreatorAsync(HttpContext http, ResourceKind kind, string resource, CancellationToken ct) =>
        http.RequestServices.GetRequiredService<GrantStore>().GrantCreatorAsync(RequestUser.Authenticated(http), kind, resource, ct);
}
