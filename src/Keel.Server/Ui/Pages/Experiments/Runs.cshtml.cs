using Keel.Core;
using Keel.Core.Tracking;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Keel.Server.Ui.Pages.Experiments;

/// <summary>
/// An experiment's run table. State is the query string: filter (MLflow's runs/search grammar), order (one
/// order_by clause), page_token (the search's page token), cols (chosen params./metrics./tags. columns), size.
/// Only one page of runs is read, so the table stays fast however many runs there are.
/// </summary>
internal sealed class RunsModel(TrackingStore store) : PageModel
{
    public const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;
    private const int DefaultColumnsPerKind = 5;

    public Experiment Experiment { get; private set; } = null!;

    public string? Filter { get; private set; }

    public string? Order { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public string? NextPageToken { get; private set; }

    public bool IsFirstPage { get; private set; }

    /// <summary>The columns shown, as search keys (params.lr, metrics.rmse, tags.team).</summary>
    public IReadOnlyList<RunColumn> Columns { get; private set; } = [];

    /// <summary>Every param, metric and tag key seen on this page, for the column chooser.</summary>
    public IReadOnlyList<RunColumn> Available { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(
        string id, string? filter, string? order, [FromQuery(Name = "page_token")] string? pageToken, [FromQuery(Name = "cols")] string[]? cols, int? size, CancellationToken ct)
    {
        try
        {
            Experiment = await store.GetExperimentAsync(id, ct);
        }
        catch (KeelException e) when (e.ErrorCode is ErrorCodes.ResourceDoesNotExist or ErrorCodes.InvalidParameterValue)
        {
            return NotFound();
        }

        Filter = filter;
        Order = string.IsNullOrWhiteSpace(order) ? null : order;
        IsFirstPage = string.IsNullOrEmpty(pageToken);
        try
        {
            var result = await store.SearchRunsAsync(
                [id], filter, ViewType.ActiveOnly, Math.Clamp(size ?? DefaultPageSize, 1, MaxPageSize), Order is null ? null : [Order], pageToken, ct);
            Runs = result.Items;
            NextPageToken = result.NextPageToken;
        }
        catch (KeelException e)
        {
            // A bad filter or order is the user's to fix: show the parser's message above an empty table.
            Error = e.Message;
        }

        Available = RunColumn.Discover(Runs);
        var chosen = (cols ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(RunColumn.Parse).OfType<RunColumn>().ToList();
        Columns = chosen.Count > 0 || Request.Query.ContainsKey("cols")
            ? chosen
            : [.. Available.Where(c => c.Kind == "params").Take(DefaultColumnsPerKind), .. Available.Where(c => c.Kind == "metrics").Take(DefaultColumnsPerKind)];
        return Page();
    }

    /// <summary>The order clause a column header links to: ascending first, descending when it already sorts ascending.</summary>
    public string SortClause(string key) => Order == key + " ASC" ? key + " DESC" : key + " ASC";

    public string? SortMark(string key) => Order == key + " ASC" ? "▲" : Order == key + " DESC" ? "▼" : null;
}
