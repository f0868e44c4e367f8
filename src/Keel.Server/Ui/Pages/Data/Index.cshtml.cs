using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Data;

internal sealed class DatasetsModel(DataCatalog catalog) : PageModel
{
    public IReadOnlyList<DatasetSummary> Datasets { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Datasets = await catalog.ListAsync(ct);
}
