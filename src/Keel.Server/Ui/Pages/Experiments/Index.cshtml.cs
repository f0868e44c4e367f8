using Keel.Core;
using Keel.Core.Tracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Experiments;

internal sealed class ExperimentsModel(TrackingStore store) : PageModel
{
    private const int PageSize = 100;

    public string? Filter { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<Experiment> Experiments { get; private set; } = [];

    public string? NextPageToken { get; private set; }

    public async Task OnGetAsync(string? filter, [FromQuery(Name = "page_token")] string? pageToken, CancellationToken ct)
    {
        Filter = filter;
        try
        {
            var result = await store.SearchExperimentsAsync(ViewType.ActiveOnly, filter, ["name ASC"], PageSize, pageToken, await Authorisation.ScopeAsync(HttpContext, ct), ct);
            Experiments = result.Items;
            NextPageToken = result.NextPageToken;
        }
        catch (KeelException e)
        {
            Error = e.Message;
        }
    }
}
