using Keel.Core.Auth;
using Keel.Core.Registry;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

/// <summary>
/// MLflow's model registry service (model_registry.proto) on both MLflow prefixes, with the HTTP methods the
/// proto declares (PATCH for updates, DELETE for deletes), and Keel's read-only change log.
/// </summary>
internal static partial class RegistryEndpoints
{
    public static IEndpointRouteBuilder MapRegistryEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in MlflowRoutes.TrackingPrefixes)
        {
            var api = app.MapGroup(prefix).WithTags("Registry");
            MapRegisteredModels(api.MapGroup("/registered-models"));
            MapModelVersions(api.MapGroup("/model-versions"));
        }

        app.MapGet("/api/keel/v1/registry/events", ListEventsAsync).WithTags("Registry").RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        return app;
    }

    private static void MapRegisteredModels(RouteGroupBuilder group)
    {
        group.MapPost("/create", CreateModelAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("/get", GetModelAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        group.MapPost("/rename", RenameModelAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Manage, Locate.Model);
        group.MapPatch("/update", UpdateModelAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapDelete("/delete", DeleteModelAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Manage, Locate.Model);
        group.MapGet("/search", SearchModelsAsync).RequireSignedIn();
        group.MapPost("/get-latest-versions", GetLatestVersionsAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        group.MapGet("/get-latest-versions", GetLatestVersionsAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        group.MapPost("/set-tag", SetModelTagAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapDelete("/delete-tag", DeleteModelTagAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapPost("/alias", SetAliasAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapDelete("/alias", DeleteAliasAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapGet("/alias", GetVersionByAliasAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
    }

    private static readonly object Empty = new();

    private static IResult Json(object value) => Results.Json(value, MlflowJson.Options);

    /// <summary>
    /// GET messages come in the query string; the others in a JSON body, as MLflow's Python client sends them.
    /// A DELETE without a body may carry its fields in the query string instead (as browsers' fetch calls do).
    /// </summary>
    private static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct, params string[] repeated)
        where T : new()
    {
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        return HttpMethods.IsGet(request.Method) || !hasBody ? ReadQuery<T>(request, repeated) : await ReadBodyAsync<T>(request, ct);
    }

    private static async Task<IResult> CreateModelAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        var model = await store.CreateRegisteredModelAsync(
            Require(body.Name, "name"), body.Tags.ToKeyValues("tags"), body.Description, RequestUser.Of(http), ct);
        await Authorisation.GrantCreatorAsync(http, ResourceKind.RegisteredModel, model.Name, ct);
        return Json(new { registered_model = model.ToMessage() });
    }

    private static async Task<IResult> GetModelAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<RegisteredModelRequest>(request, ct);
        return Json(new { registered_model = (await store.GetRegisteredModelAsync(Require(query.Name, "name"), ct)).ToMessage() });
    }

    private static async Task<IResult> RenameModelAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        var model = await store.RenameRegisteredModelAsync(Require(body.Name, "name"), body.NewName, RequestUser.Of(http), ct);
        await Authorisation.MoveAsync(http, ResourceKind.RegisteredModel, body.Name!, model.Name, ct);
        return Json(new { registered_model = model.ToMessage() });
    }

    private static async Task<IResult> UpdateModelAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        var model = await store.UpdateRegisteredModelAsync(Require(body.Name, "name"), body.Description, RequestUser.Of(http), ct);
        return Json(new { registered_model = model.ToMessage() });
    }

    private static async Task<IResult> DeleteModelAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        await store.DeleteRegisteredModelAsync(Require(body.Name, "name"), RequestUser.Of(http), ct);
        await Authorisation.ForgetAsync(http, ResourceKind.RegisteredModel, body.Name!, ct);
        return Json(Empty);
    }

    private static async Task<IResult> SearchModelsAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<SearchRegistryRequest>(request, ct, "order_by");
        var page = await store.SearchRegisteredModelsAsync(query.Filter, query.MaxResults, query.OrderBy, query.PageToken,
            await Authorisation.ScopeAsync(request.HttpContext, ct), ct);
        return Json(new { registered_models = page.Items.Select(m => m.ToMessage()).ToList(), next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> GetLatestVersionsAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var message = await ReadAsync<RegisteredModelRequest>(request, ct, "stages");
        var versions = await store.GetLatestVersionsAsync(Require(message.Name, "name"), message.Stages, ct);
        return Json(new { model_versions = versions.Select(v => v.ToMessage()).ToList() });
    }

    private static async Task<IResult> SetModelTagAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        await store.SetRegisteredModelTagAsync(Require(body.Name, "name"), Require(body.Key, "key"), body.Value, RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteModelTagAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        await store.DeleteRegisteredModelTagAsync(Require(body.Name, "name"), Require(body.Key, "key"), RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> SetAliasAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        await store.SetAliasAsync(Require(body.Name, "name"), body.Alias, Require(body.Version, "version"), RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteAliasAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<RegisteredModelRequest>(http.Request, ct);
        await store.DeleteAliasAsync(Require(body.Name, "name"), body.Alias, RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> GetVersionByAliasAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<RegisteredModelRequest>(request, ct);
        var version = await store.GetModelVersionByAliasAsync(Require(query.Name, "name"), query.Alias, ct);
        return Json(new { model_version = version.ToMessage() });
    }
}
