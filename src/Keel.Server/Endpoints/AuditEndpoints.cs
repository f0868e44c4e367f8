using Keel.Core;
using Keel.Core.Audit;
using Keel.Core.Auth;
using Keel.Server.Mlflow;
using Microsoft.Extensions.Options;

namespace Keel.Server.Endpoints;

/// <summary>
/// Reading and verifying the audit trail. There is no route that writes, changes or deletes an entry: entries are
/// appended by the server itself (<see cref="AuditTrail"/>). With authentication on, only admins may read it.
/// </summary>
internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed in is the door; the handlers let only admins through (the trail names every user and resource).
        var group = app.MapGroup("/api/keel/v1/audit").WithTags("Audit").RequireSignedIn();
        group.MapGet("", ListAsync);
        group.MapGet("/verify", VerifyAsync);
        return app;
    }

    /// <summary>GET /api/keel/v1/audit?since=&amp;until=&amp;actor=&amp;action=&amp;resource=&amp;page_token=&amp;max_results=: oldest first.</summary>
    private static async Task<IResult> ListAsync(HttpRequest request, AuditStore store, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        RequireAdmin(request.HttpContext, auth.Value);
        var filter = new AuditFilter(
            RegistryEndpoints.OptionalLong(request, "since"),
            RegistryEndpoints.OptionalLong(request, "until"),
            Text(request, "actor"),
            Text(request, "action"),
            Text(request, "resource"));
        var maxResults = RegistryEndpoints.OptionalLong(request, "max_results") ?? 100;
        var page = await store.ListAsync(filter, (int)Math.Clamp(maxResults, int.MinValue, int.MaxValue), Text(request, "page_token"), ct);
        return Results.Json(new { entries = page.Entries.Select(ToMessage).ToList(), next_page_token = page.NextPageToken }, MlflowJson.Options);
    }

    private static async Task<IResult> VerifyAsync(HttpContext http, AuditStore store, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        RequireAdmin(http, auth.Value);
        var result = await store.VerifyAsync(ct);
        return Results.Json(new
        {
            ok = result.Ok,
            entries = result.Entries,
            head = new { seq = result.HeadSeq, hash = result.HeadHash },
            first_problem = result.FirstProblem is { } p ? new { seq = p.Seq, kind = p.Kind, detail = p.Detail } : null,
        }, MlflowJson.Options);
    }

    // Until roles exist, the admin flag is what separates who may read everyone's actions.
    private static void RequireAdmin(HttpContext http, AuthOptions auth)
    {
        if (auth.Enabled && RequestUser.Authenticated(http) is not { IsAdmin: true })
        {
            throw new KeelException(ErrorCodes.PermissionDenied, "Only an admin may read the audit trail.");
        }
    }

    private static string? Text(HttpRequest request, string name) => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    private static object ToMessage(AuditEntry e) => new
    {
        seq = e.Seq, time = e.Record.Time, actor = e.Record.Actor, action = e.Record.Action, resource = e.Record.Resource,
        request_id = e.Record.RequestId, outcome = e.Record.Outcome, payload_sha256 = e.Record.PayloadSha256, prev_hash = e.PrevHash, hash = e.Hash,
    };
}
