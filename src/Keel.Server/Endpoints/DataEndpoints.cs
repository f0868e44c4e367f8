using Keel.Core.Auth;
using Keel.Core.Data;
using Microsoft.AspNetCore.Mvc;
using Keel.Data;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's dataset versions (/api/keel/v1/data): an upload asks which chunks are missing, PUTs those (each checked against
/// its id), then commits the manifest. Keel routes, so errors are ProblemDetails with an errorCode.
/// </summary>
internal static class DataEndpoints
{
    private const string DigestHeader = "X-Keel-Digest";

    public static IEndpointRouteBuilder MapDataEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keel/v1/data").WithTags("Data");
        group.MapPost("/chunks/missing", MissingChunksAsync).RequireKeelPermission(Permission.Edit);
        group.MapPut("/chunks/{id}", PutChunkAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("/chunks/{id}", GetChunkAsync).RequireKeelPermission(Permission.Read);
        group.MapGet("/stats", StatsAsync).RequireKeelPermission(Permission.Read);
        group.MapPost("/gc", CollectGarbageAsync).RequireKeelPermission(Permission.Manage);
        group.MapPost("/datasets/{name}/versions", CommitAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("/datasets/{name}/versions", ListVersionsAsync).RequireKeelPermission(Permission.Read);
        group.MapGet("/datasets/{name}/versions/{reference}", GetVersionAsync).RequireKeelPermission(Permission.Read);
        group.MapDelete("/datasets/{name}/versions/{reference}", DeleteVersionAsync).RequireKeelPermission(Permission.Manage);
        group.MapGet("/datasets/{name}/versions/{reference}/manifest", GetManifestAsync).RequireKeelPermission(Permission.Read);
        group.MapGet("/datasets/{name}/versions/{reference}/profiles", GetProfilesAsync).RequireKeelPermission(Permission.Read);
        group.MapGet("/datasets/{name}/versions/{reference}/lineage", GetLineageAsync).RequireKeelPermission(Permission.Read);
        group.MapPut("/datasets/{name}/tags/{tag}", SetTagAsync).RequireKeelPermission(Permission.Edit);
        group.MapPost("/datasets/{name}/verify", VerifyAsync).RequireKeelPermission(Permission.Read);
        return app;
    }

    private static async Task<IResult> MissingChunksAsync(ChunkIdsMessage request, DataStore store, CancellationToken ct) =>
        Json(new ChunkIdsMessage(await store.MissingChunksAsync(request.Ids, ct)));

    private static async Task<IResult> PutChunkAsync(string id, HttpRequest request, DataStore store, CancellationToken ct) =>
        await store.PutChunkAsync(id, request.Body, request.ContentLength, ct) ? Results.StatusCode(StatusCodes.Status201Created) : Results.Ok();

    private static async Task<IResult> GetChunkAsync(string id, DataStore store, CancellationToken ct) =>
        Results.Bytes(await store.ReadChunkAsync(id, ct), "application/octet-stream");

    private static async Task<IResult> StatsAsync(DataStore store, CancellationToken ct) => Json(await store.StatsAsync(ct));

    /// <summary>Frees chunks no version references; <c>grace_seconds</c> (default one hour) spares chunks adds used that recently.</summary>
    private static async Task<IResult> CollectGarbageAsync([FromQuery(Name = "grace_seconds")] double? graceSeconds, DataStore store, CancellationToken ct) =>
        Json(await store.CollectGarbageAsync(graceSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, ct));

    private static async Task<IResult> CommitAsync(string name, CommitMessage request, DataStore store, CancellationToken ct)
    {
        var commit = await store.CommitAsync(name, request.Message, request.Manifest, request.Profiles, ct);
        return Json(commit, commit.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ListVersionsAsync(string name, DataStore store, CancellationToken ct) =>
        Json(new VersionsMessage(await store.ListVersionsAsync(name, ct)));

    private static async Task<IResult> GetVersionAsync(string name, string reference, DataStore store, CancellationToken ct) =>
        Json(await store.GetVersionAsync(name, reference, ct));

    private static async Task<IResult> DeleteVersionAsync(string name, string reference, DataStore store, CancellationToken ct)
    {
        await store.DeleteVersionAsync(name, reference, ct);
        return Results.NoContent();
    }

    /// <summary>The manifest's exact stored bytes; the digest header lets the client check them.</summary>
    private static async Task<IResult> GetManifestAsync(string name, string reference, HttpResponse response, DataStore store, CancellationToken ct)
    {
        var (version, manifest) = await store.GetManifestAsync(name, reference, ct);
        response.Headers[DigestHeader] = version.Digest;
        response.Headers["X-Keel-Version"] = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Bytes(manifest, "application/json");
    }

    private static async Task<IResult> GetProfilesAsync(string name, string reference, DataStore store, CancellationToken ct) =>
        Json(new ProfilesMessage(await store.GetProfilesAsync(name, reference, ct)));

    private static async Task<IResult> GetLineageAsync(string name, string reference, DataStore store, CancellationToken ct) =>
        Json(await store.GetLineageAsync(name, reference, ct));

    private static async Task<IResult> SetTagAsync(string name, string tag, TagMessage request, DataStore store, CancellationToken ct) =>
        Json(await store.SetTagAsync(name, tag, request.Version, ct));

    private static async Task<IResult> VerifyAsync(string name, DataStore store, CancellationToken ct) => Json(await store.VerifyAsync(name, ct));

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, LineageMessageMapping.Json, statusCode: status);

    private sealed record ChunkIdsMessage(IReadOnlyList<string>? Ids);

    private sealed record CommitMessage(string? Message, DataManifest? Manifest, IReadOnlyList<System.Text.Json.JsonElement>? Profiles);

    private sealed record ProfilesMessage(IReadOnlyList<System.Text.Json.JsonElement> Profiles);

    private sealed record TagMessage(string? Version);

    private sealed record VersionsMessage(IReadOnlyList<DataVersion> Versions);
}
