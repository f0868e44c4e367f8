using Keel.Core;
using Keel.Core.Auth;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

/// <summary>
/// Per-resource roles: Keel's grants (experiments, registered models, deployments) and MLflow's auth plugin permission
/// API (experiments, registered models) over the same table. Changing a resource's grants needs MANAGE (its admin role).
/// </summary>
internal static class GrantEndpoints
{
    private static readonly object Empty = new();

    private static readonly (string Segment, ResourceKind Kind, ResourceLocator Locate)[] Kinds =
    [
        ("experiments", ResourceKind.Experiment, Locate.Experiment),
        ("registered-models", ResourceKind.RegisteredModel, Locate.Model),
        ("deployments", ResourceKind.Deployment, Locate.Deployment),
    ];

    public static IEndpointRouteBuilder MapGrantEndpoints(this IEndpointRouteBuilder app)
    {
        var grants = app.MapGroup("/api/keel/v1/grants").WithTags("Auth");
        // Anyone signed in may list; a non-admin sees only their own grants.
        grants.MapGet("", ListAsync).RequireSignedIn();
        foreach (var (segment, kind, _) in Kinds)
        {
            ResourceLocator route = (request, _, _) => ValueTask.FromResult<IReadOnlyList<string>>(request.Route("resource") is { } r ? [r] : []);
            grants.MapPut($"/{segment}/{{resource}}/{{user}}", (string resource, string user, HttpRequest request, GrantStore store, CancellationToken ct) =>
                    SetAsync(kind, resource, user, request, store, ct))
                .RequireKeelPermission(kind, Permission.Manage, route);
            grants.MapDelete($"/{segment}/{{resource}}/{{user}}", async (string resource, string user, GrantStore store, CancellationToken ct) =>
                {
                    await store.DeleteAsync(user, kind, resource, ct);
                    return Results.NoContent();
                })
                .RequireKeelPermission(kind, Permission.Manage, route);
        }

        foreach (var prefix in MlflowRoutes.TrackingPrefixes)
        {
            MapMlflowPermissions(app.MapGroup(prefix + "/experiments/permissions").WithTags("Auth"), ResourceKind.Experiment, Locate.Experiment);
            MapMlflowPermissions(app.MapGroup(prefix + "/registered-models/permissions").WithTags("Auth"), ResourceKind.RegisteredModel, Locate.Model);
        }

        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, GrantStore store, CancellationToken ct)
    {
        var caller = RequestUser.Authenticated(http)
            ?? throw new KeelException(ErrorCodes.PermissionDenied, "Authentication is off (start the server with keel server --auth); there are no grants to list.");
        string? Query(string key) => http.Request.Query[key].ToString() is { Length: > 0 } value ? value : null;
        var user = caller.IsAdmin ? Query("user") : caller.Name;
        var kind = Query("resource_type") is { } type ? Roles.ParseKind(type) : (ResourceKind?)null;
        var list = await store.ListAsync(user, kind, Query("resource"), ct);
        return Results.Json(new { grants = list.Select(ToMessage).ToList() }, MlflowJson.Options);
    }

    private static async Task<IResult> SetAsync(ResourceKind kind, string resource, string user, HttpRequest request, GrantStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<PermissionRequest>(request, ct);
        var grant = await store.SetAsync(user, kind, resource, Roles.Parse(Require(body.Role, "role")), ct);
        return Results.Json(new { grant = ToMessage(grant) }, MlflowJson.Options);
    }

    private static object ToMessage(Grant g) =>
        new { user = g.UserName, resource_type = g.Kind.TypeName(), resource = g.Resource, role = g.Role.Name(), creation_time = g.CreationTime };

    private static void MapMlflowPermissions(RouteGroupBuilder group, ResourceKind kind, ResourceLocator locate)
    {
        group.MapPost("/create", async (HttpRequest request, GrantStore store, AuthStore users, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync<PermissionRequest>(request, ct);
            return await MlflowAnswerAsync(kind, await store.CreateAsync(body.Username, kind, body.Resource(kind), Roles.FromMlflow(body.Permission), ct), users, ct);
        }).RequireKeelPermission(kind, Permission.Manage, locate);
        group.MapGet("/get", async (HttpRequest request, GrantStore store, AuthStore users, CancellationToken ct) =>
        {
            var query = ReadQuery<PermissionRequest>(request);
            return await MlflowAnswerAsync(kind, await store.GetAsync(query.Username, kind, query.Resource(kind), ct), users, ct);
        }).RequireKeelPermission(kind, Permission.Manage, locate);
        group.MapPatch("/update", async (HttpRequest request, GrantStore store, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync<PermissionRequest>(request, ct);
            await store.UpdateAsync(body.Username, kind, body.Resource(kind), Roles.FromMlflow(body.Permission), ct);
            return Results.Json(Empty, MlflowJson.Options);
        }).RequireKeelPermission(kind, Permission.Manage, locate);
        group.MapDelete("/delete", async (HttpRequest request, GrantStore store, CancellationToken ct) =>
        {
            var body = await ReadBodyAsync<PermissionRequest>(request, ct);
            await store.DeleteAsync(body.Username, kind, body.Resource(kind), ct);
            return Results.Json(Empty, MlflowJson.Options);
        }).RequireKeelPermission(kind, Permission.Manage, locate);
    }

    // MLflow's ExperimentPermission and RegisteredModelPermission messages.
    private static async Task<IResult> MlflowAnswerAsync(ResourceKind kind, Grant grant, AuthStore users, CancellationToken ct)
    {
        var userId = (await users.GetUserAsync(grant.UserName, ct)).Id;
        object answer = kind == ResourceKind.Experiment
            ? new { experiment_permission = new { experiment_id = grant.Resource, user_id = userId, permission = grant.Role.ToMlflow() } }
            : new { registered_model_permission = new { name = grant.Resource, user_id = userId, permission = grant.Role.ToMlflow() } };
        return Results.Json(answer, MlflowJson.Options);
    }

    private sealed class PermissionRequest
    {
        public string? ExperimentId { get; set; }
        public string? Name { get; set; }
        public string? Username { get; set; }
        public string? Permission { get; set; }
        public string? Role { get; set; }

        public string? Resource(ResourceKind kind) => kind == ResourceKind.Experiment ? Require(ExperimentId, "experiment_id") : Require(Name, "name");
    }
}
