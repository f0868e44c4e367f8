using Keel.Core.Auth;
using Keel.Core.Registry;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

internal static partial class RegistryEndpoints
{
    private static void MapModelVersions(RouteGroupBuilder group)
    {
        group.MapPost("/create", CreateVersionAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapGet("/get", GetVersionAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        group.MapPatch("/update", UpdateVersionAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapDelete("/delete", DeleteVersionAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Manage, Locate.Model);
        group.MapGet("/search", SearchVersionsAsync).RequireSignedIn();
        group.MapPost("/transition-stage", TransitionStageAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapGet("/get-download-uri", GetDownloadUriAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Read, Locate.Model);
        group.MapPost("/set-tag", SetVersionTagAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
        group.MapDelete("/delete-tag", DeleteVersionTagAsync).RequireKeelPermission(ResourceKind.RegisteredModel, Permission.Edit, Locate.Model);
    }

    private static async Task<IResult> CreateVersionAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        var version = await store.CreateModelVersionAsync(
            Require(body.Name, "name"), Require(body.Source, "source"), body.RunId, body.Tags.ToKeyValues("tags"), body.RunLink, body.Description,
            RequestUser.Of(http), ct);
        return Json(new { model_version = version.ToMessage() });
    }

    private static async Task<IResult> GetVersionAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<ModelVersionRequest>(request, ct);
        var version = await store.GetModelVersionAsync(Require(query.Name, "name"), Require(query.Version, "version"), ct);
        return Json(new { model_version = version.ToMessage() });
    }

    private static async Task<IResult> UpdateVersionAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        var version = await store.UpdateModelVersionAsync(Require(body.Name, "name"), Require(body.Version, "version"), body.Description, RequestUser.Of(http), ct);
        return Json(new { model_version = version.ToMessage() });
    }

    private static async Task<IResult> DeleteVersionAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        await store.DeleteModelVersionAsync(Require(body.Name, "name"), Require(body.Version, "version"), RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> SearchVersionsAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<SearchRegistryRequest>(request, ct, "order_by");
        var page = await store.SearchModelVersionsAsync(query.Filter, query.MaxResults, query.OrderBy, query.PageToken,
            await Authorisation.ScopeAsync(request.HttpContext, ct), ct);
        return Json(new { model_versions = page.Items.Select(v => v.ToMessage()).ToList(), next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> TransitionStageAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        var version = await store.TransitionStageAsync(
            Require(body.Name, "name"), Require(body.Version, "version"), Require(body.Stage, "stage"),
            Require(body.ArchiveExistingVersions, "archive_existing_versions"), RequestUser.Of(http), ct);
        return Json(new { model_version = version.ToMessage() });
    }

    private static async Task<IResult> GetDownloadUriAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var query = await ReadAsync<ModelVersionRequest>(request, ct);
        var uri = await store.GetDownloadUriAsync(Require(query.Name, "name"), Require(query.Version, "version"), ct);
        return Json(new { artifact_uri = uri });
    }

    private static async Task<IResult> SetVersionTagAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        await store.SetModelVersionTagAsync(
            Require(body.Name, "name"), Require(body.Version, "version"), Require(body.Key, "key"), body.Value, RequestUser.Of(http), ct);
        return Json(Empty);
    }

    private static async Task<IResult> DeleteVersionTagAsync(HttpContext http, RegistryStore store, CancellationToken ct)
    {
        var body = await ReadAsync<ModelVersionRequest>(http.Request, ct);
        await store.DeleteModelVersionTagAsync(Require(body.Name, "name"), Require(body.Version, "version"), Require(body.Key, "key"), RequestUser.Of(http), ct);
        return Json(Empty);
    }
}
