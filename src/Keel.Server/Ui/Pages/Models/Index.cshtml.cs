using Keel.Core;
using Keel.Core.Registry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Models;

/// <summary>Registered models, filtered with the registry's search grammar (name LIKE '%x%', tags.k = 'v').</summary>
internal sealed class ModelsModel(RegistryStore registry) : PageModel
{
    private const int PageSize = 100;

    public string? Filter { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<RegisteredModel> Models { get; private set; } = [];

    public string? NextPageToken { get; private set; }

    public async Task OnGetAsync(string? filter, [FromQuery(Name = "page_token")] string? pageToken, CancellationToken ct)
    {
        Filter = filter;
        try
        {
            var page = await registry.SearchRegisteredModelsAsync(filter, PageSize, ["name ASC"], pageToken, await Authorisation.ScopeAsync(HttpContext, ct), ct);
            Models = page.Items;
            NextPageToken = page.NextPageToken;
        }
        catch (KeelException e)
        {
            Error = e.Message;
        }
    }
}
