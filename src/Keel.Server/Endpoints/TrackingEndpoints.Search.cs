using Keel.Core.Auth;
using Keel.Core.Tracking;
using Keel.Server.Mlflow;
using static Keel.Server.Mlflow.MlflowRequest;

namespace Keel.Server.Endpoints;

internal static partial class TrackingEndpoints
{
    private static async Task<IResult> SearchExperimentsPostAsync(HttpRequest request, TrackingStore store, CancellationToken ct) =>
        await SearchExperimentsAsync(await ReadBodyAsync<SearchExperimentsRequest>(request, ct), request, store, ct);

    private static Task<IResult> SearchExperimentsGetAsync(HttpRequest request, TrackingStore store, CancellationToken ct) =>
        SearchExperimentsAsync(ReadQuery<SearchExperimentsRequest>(request, "order_by"), request, store, ct);

    /// <summary>The pre-2.0 experiments/list call, which older clients (the npm one among them) still make.</summary>
    private static Task<IResult> ListExperimentsAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var query = ReadQuery<SearchExperimentsRequest>(request);
        query.Filter = null;
        query.OrderBy = null;
        return SearchExperimentsAsync(query, request, store, ct);
    }

    private static async Task<IResult> SearchExperimentsAsync(SearchExperimentsRequest message, HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var page = await store.SearchExperimentsAsync(
            message.ViewType ?? ViewType.ActiveOnly, message.Filter, message.OrderBy, message.MaxResults, message.PageToken,
            await Authorisation.ScopeAsync(request.HttpContext, ct), ct);
        return Json(new { experiments = page.Items.Select(e => e.ToMessage()).ToList(), next_page_token = page.NextPageToken });
    }

    private static async Task<IResult> SearchRunsAsync(HttpRequest request, TrackingStore store, CancellationToken ct)
    {
        var body = await ReadBodyAsync<SearchRunsRequest>(request, ct);
        // Runs are searched within named experiments, so leaving out the ones the caller may not read filters the whole search.
        var experiments = await Authorisation.ReadableAsync(request.HttpContext, ResourceKind.Experiment, body.ExperimentIds ?? [], ct);
        if (experiments.Count == 0 && body.ExperimentIds is { Count: > 0 })
        {
            return Json(new { runs = Array.Empty<object>(), next_page_token = (string?)null });
        }

        var page = await store.SearchRunsAsync(
            experiments, body.Filter, body.RunViewType ?? ViewType.ActiveOnly, body.MaxResults, body.OrderBy, body.PageToken, ct);
        return Json(new { runs = page.Items.Select(r => r.ToMessage()).ToList(), next_page_token = page.NextPageToken });
    }
}
