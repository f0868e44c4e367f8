using Keel.Core.Auth;
using System.Text.Json;
using Keel.Core;
using Keel.Core.Deployments;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

/// <summary>
/// Managed deployments: what a `keel serve --deployment` host should serve, with every change kept as a revision.
/// Keel's own routes, so errors are ProblemDetails.
/// </summary>
internal static partial class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/keel/v1/deployments").WithTags("Deployments");
        group.MapPost("", CreateAsync).RequireKeelPermission(Permission.Edit);
        group.MapGet("", async (HttpContext http, DeploymentStore store, CancellationToken ct) =>
            Results.Json(new { deployments = (await store.ListAsync(await Authorisation.ScopeAsync(http, ct), ct)).Select(ToMessage).ToList() }, MlflowJson.Options)).RequireSignedIn();
        group.MapGet("/{name}", async (string name, DeploymentStore store, CancellationToken ct) =>
            Results.Json(new { deployment = ToMessage(await store.GetAsync(name, ct)) }, MlflowJson.Options)).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.Deployment);
        group.MapPatch("/{name}", UpdateAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        group.MapDelete("/{name}", async (string name, HttpContext http, DeploymentStore store, CancellationToken ct) =>
        {
            await store.DeleteAsync(name, ct);
            await Authorisation.ForgetAsync(http, ResourceKind.Deployment, name, ct);
            return Results.NoContent();
        }).RequireKeelPermission(ResourceKind.Deployment, Permission.Manage, Locate.Deployment);
        group.MapPost("/{name}/rollback", async (string name, HttpRequest request, DeploymentStore store, CancellationToken ct) =>
            Results.Json(new { deployment = ToMessage(await store.RollbackAsync(
                name, RegistryEndpoints.OptionalLong(request, "to"), RequestUser.Of(request.HttpContext), ct)) }, MlflowJson.Options)).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        group.MapGet("/{name}/revisions", async (string name, DeploymentStore store, CancellationToken ct) =>
            Results.Json(new { revisions = (await store.RevisionsAsync(name, ct)).Select(ToMessage).ToList() }, MlflowJson.Options)).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.Deployment);
        group.MapPatch("/{name}/revisions/{revision:long}", SetStatusAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        group.MapGet("/{name}/traffic", ReadTrafficAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Read, Locate.Deployment);
        // Hosts following the deployment add their counts, as they report revision status.
        group.MapPost("/{name}/traffic", AddTrafficAsync).RequireKeelPermission(ResourceKind.Deployment, Permission.Edit, Locate.Deployment);
        return app;
    }

    /// <summary>POST {"name", "model", "canary": {"model", "percent"}?, "shadow"?}.</summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, DeploymentStore store, CancellationToken ct)
    {
        using var document = await ReadObjectAsync(request, ct);
        var body = document.RootElement;
        var spec = new DeploymentSpec(Text(body, "model") ?? "", Canary(body), Text(body, "shadow"));
        var deployment = await store.CreateAsync(Text(body, "name"), spec, RequestUser.Of(request.HttpContext), ct);
        await Authorisation.GrantCreatorAsync(request.HttpContext, ResourceKind.Deployment, deployment.Name, ct);
        return Results.Json(new { deployment = ToMessage(deployment) }, MlflowJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>
    /// PATCH {"model"?, "canary"?, "shadow"?}: absent fields keep the latest revision's value; "canary": null and
    /// "shadow": null remove them.
    /// </summary>
    private static async Task<IResult> UpdateAsync(string name, HttpRequest request, DeploymentStore store, CancellationToken ct)
    {
        using var document = await ReadObjectAsync(request, ct);
        var body = document.RootElement;
        var model = Text(body, "model");
        var hasCanary = body.TryGetProperty("canary", out _);
        var canary = Canary(body);
        var hasShadow = body.TryGetProperty("shadow", out _);
        var shadow = Text(body, "shadow");
        if (model is null && !hasCanary && !hasShadow)
        {
            throw KeelException.InvalidParameter("Nothing to change: send model, canary and/or shadow.");
        }

        List<string> changes = [];
        if (model is not null)
        {
            changes.Add($"model set to {model}");
        }

        if (hasCanary)
        {
            changes.Add(canary is null ? "canary removed" : $"canary set to {canary.Model} at {canary.Percent}%");
        }

        if (hasShadow)
        {
            changes.Add(shadow is null ? "shadow removed" : $"shadow set to {shadow}");
        }

        var deployment = await store.UpdateAsync(
            name,
            latest => new DeploymentSpec(model ?? latest.Model, hasCanary ? canary : latest.Canary, hasShadow ? shadow : latest.Shadow),
            string.Join(", ", changes), RequestUser.Of(request.HttpContext), ct);
        return Results.Json(new { deployment = ToMessage(deployment) }, MlflowJson.Options);
    }

    /// <summary>PATCH {"status": "LIVE"|"FAILED"|"PENDING", "message"?}: written by the serving host following the deployment.</summary>
    private static async Task<IResult> SetStatusAsync(string name, long revision, HttpRequest request, DeploymentStore store, CancellationToken ct)
    {
        using var document = await ReadObjectAsync(request, ct);
        var updated = await store.SetStatusAsync(name, revision, Text(document.RootElement, "status"), Text(document.RootElement, "message"), ct);
        return Results.Json(new { revision = ToMessage(updated) }, MlflowJson.Options);
    }

    private static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw KeelException.InvalidParameter("The body must be a JSON object.");
        }

        return document;
    }

    private static CanarySpec? Canary(JsonElement body)
    {
        if (!body.TryGetProperty("canary", out var canary) || canary.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (canary.ValueKind != JsonValueKind.Object)
        {
            throw KeelException.InvalidParameter("canary must be an object {\"model\", \"percent\"} or null.");
        }

        if (!canary.TryGetProperty("percent", out var percent) || percent.ValueKind != JsonValueKind.Number || !percent.TryGetInt64(out var p))
        {
            throw KeelException.InvalidParameter("canary.percent is required: an integer from 0 to 100.");
        }

        return new CanarySpec(Text(canary, "model") ?? "", p);
    }

    private static string? Text(JsonElement body, string name) => body.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw KeelException.InvalidParameter($"{name} must be a string.")
        : null;

    private static DeploymentMessage ToMessage(Deployment d) => new(d.Name, d.CreationTime, ToMessage(d.Latest));

    internal static RevisionMessage ToMessage(DeploymentRevision r) => new(
        r.Revision, r.Spec.Model, r.Spec.Canary is { } c ? new CanaryMessage(c.Model, c.Percent) : null, r.Spec.Shadow, r.Actor, r.Time, r.Status,
        r.Message, r.Cause, r.Versions.Model, r.Versions.Canary, r.Versions.Shadow);

    private sealed record DeploymentMessage(string Name, long CreationTime, RevisionMessage Latest);

    internal sealed record RevisionMessage(
        long Revision, string Model, CanaryMessage? Canary, string? Shadow, string Actor, long Time, string Status, string? Message, string? Cause,
        long? ModelVersion, long? CanaryVersion, long? ShadowVersion);

    internal sealed record CanaryMessage(string Model, long Percent);
}
