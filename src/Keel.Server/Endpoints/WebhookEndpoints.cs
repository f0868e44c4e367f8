using Keel.Core.Auth;
using Keel.Core.Webhooks;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

/// <summary>
/// MLflow's webhook service (webhooks.proto) on both MLflow prefixes, and Keel's read-only delivery log. Delivery itself
/// runs in <see cref="WebhookDeliveryService"/>.
/// </summary>
internal static class WebhookEndpoints
{
    private static readonly object Empty = new();

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in MlflowRoutes.TrackingPrefixes)
        {
            // Webhooks send registry events to any URL: only admins may see or change them.
            var group = app.MapGroup(prefix + "/webhooks").WithTags("Webhooks").RequireKeelPermission(Permission.Manage);
            group.MapPost("", CreateAsync);
            group.MapGet("", ListAsync);
            group.MapGet("/{webhookId}", GetAsync);
            group.MapPatch("/{webhookId}", UpdateAsync);
            group.MapDelete("/{webhookId}", DeleteAsync);
            group.MapPost("/{webhookId}/test", TestAsync);
        }

        app.MapGet("/api/keel/v1/webhooks/{webhookId}/deliveries", ListDeliveriesAsync).WithTags("Webhooks").RequireKeelPermission(Permission.Manage);
        return app;
    }

    private static IResult Json(object value) => Results.Json(value, MlflowJson.Options);

    private static async Task<IResult> CreateAsync(HttpRequest request, WebhookStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<WebhookRequest>(request, ct);
        var change = new WebhookChange(
            Require(body.Name, "name"), body.Description, Require(body.Url, "url"), Require(body.Events, "events").ToEvents(), body.Secret,
            body.Status.ToStatus());
        return Json(new { webhook = (await store.CreateAsync(change, ct)).ToMessage() });
    }

    private static async Task<IResult> ListAsync(HttpRequest request, WebhookStore store, CancellationToken ct)
    {
        var query = ReadQuery<WebhookRequest>(request);
        var page = await store.ListAsync(query.MaxResults, query.PageToken, ct);
        return Json(new { webhooks = page.Items.Select(w => w.ToMessage()).ToList(), next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> GetAsync(string webhookId, WebhookStore store, CancellationToken ct) =>
        Json(new { webhook = (await store.GetAsync(webhookId, ct)).ToMessage() });

    private static async Task<IResult> UpdateAsync(string webhookId, HttpRequest request, WebhookStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<WebhookRequest>(request, ct);
        // A repeated field cannot be "unset" in proto2 JSON: an empty events list leaves the subscriptions as they are.
        var events = body.Events is { Count: > 0 } ? body.Events.ToEvents() : null;
        var change = new WebhookChange(body.Name, body.Description, body.Url, events, body.Secret, body.Status.ToStatus());
        return Json(new { webhook = (await store.UpdateAsync(webhookId, change, ct)).ToMessage() });
    }

    private static async Task<IResult> DeleteAsync(string webhookId, WebhookStore store, CancellationToken ct)
    {
        await store.DeleteAsync(webhookId, ct);
        return Json(Empty);
    }

    private static async Task<IResult> TestAsync(string webhookId, HttpRequest request, WebhookDelivery delivery, CancellationToken ct)
    {
        var body = await ReadBodyAsync<WebhookRequest>(request, ct);
        var result = await delivery.TestAsync(webhookId, body.Event?.ToEvent(), ct);
        return Json(new { result = result.ToTestResult() });
    }

    /// <summary>GET /api/keel/v1/webhooks/{id}/deliveries?after=&amp;max_results=: one row per attempt, oldest first.</summary>
    private static async Task<IResult> ListDeliveriesAsync(string webhookId, HttpRequest request, WebhookStore store, CancellationToken ct)
    {
        var attempts = await store.ReadDeliveriesAsync(
            webhookId, RegistryEndpoints.OptionalLong(request, "after"), RegistryEndpoints.OptionalLong(request, "max_results"), ct);
        return Json(new { deliveries = attempts.Select(a => a.ToMessage()).ToList() });
    }
}
