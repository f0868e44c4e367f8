using Keel.Core.Auth;
using Keel.Core;
using Keel.Core.Artifacts;
using Keel.Core.Tracking;
using Keel.Server.Mlflow;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.StaticFiles;

namespace Keel.Server.Endpoints;

/// <summary>MLflow's artifact proxy (mlflow-artifacts): clients upload and download run artifacts through the server.</summary>
internal static class ArtifactEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(MlflowRoutes.ArtifactsPrefix + "/artifacts").WithTags("Artifacts");
        group.MapGet("/", ListAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.ArtifactExperiment);
        group.MapGet("/{**path}", DownloadAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Read, Locate.ArtifactExperiment);
        group.MapPut("/{**path}", UploadAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.ArtifactExperiment);
        group.MapDelete("/{**path}", DeleteAsync).RequireKeelPermission(ResourceKind.Experiment, Permission.Edit, Locate.ArtifactExperiment);
        return app;
    }

    private static async Task<IResult> UploadAsync(string path, HttpContext http, IArtifactStore store, CancellationToken ct)
    {
        // Artifacts (models, datasets) are routinely larger than Kestrel's 30 MB default; the body is streamed to disk.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await store.WriteAsync(path, http.Request.Body, ct);
        return Results.Json(new { }, MlflowJson.Options);
    }

    private static async Task<IResult> DownloadAsync(string path, IArtifactStore store, CancellationToken ct)
    {
        var stream = await store.OpenReadAsync(path, ct);
        var contentType = ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream";
        // Range requests need a seekable stream: local files are, an object store's response body is not.
        return Results.Stream(stream, contentType, fileDownloadName: Path.GetFileName(path), enableRangeProcessing: stream.CanSeek);
    }

    private static async Task<IResult> DeleteAsync(string path, IArtifactStore store, CancellationToken ct)
    {
        await store.DeleteAsync(path, ct);
        return Results.Json(new { }, MlflowJson.Options);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IArtifactStore store, CancellationToken ct)
    {
        var path = ArtifactPath.Normalize(request.Query["path"].ToString());
        var files = (await store.ListAsync(path, path, ct)).Select(e => new FileInfoMessage(e.Path, e.IsDir, e.FileSize)).ToList();
        return Results.Json(new { files }, MlflowJson.Options);
    }
}

internal static partial class TrackingEndpoints
{
    private static async Task<IResult> ListRunArtifactsAsync(HttpRequest request, TrackingStore tracking, IArtifactStore artifacts, CancellationToken ct)
    {
        var query = MlflowRequest.ReadQuery<ListArtifactsRequest>(request);
        var run = await tracking.GetRunAsync(MlflowRequest.Require(query.Id, "run_id"), ct);
        var root = ArtifactUris.ProxyPath(run.Info.ArtifactUri)
            ?? throw KeelException.InvalidParameter(
                $"The artifacts of run {run.Info.RunId} live at {run.Info.ArtifactUri}, which this server does not serve; list them with a client for that store.");
        var relative = ArtifactPath.Normalize(query.Path);
        var dir = relative.Length == 0 ? root : $"{root}/{relative}";
        var files = (await artifacts.ListAsync(dir, root, ct)).Select(e => new FileInfoMessage(e.Path, e.IsDir, e.FileSize)).ToList();
        return Json(new { root_uri = run.Info.ArtifactUri, files });
    }
}
