using System.Globalization;
using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>
/// The audit trail of a Keel server (<c>/api/keel/v1/audit</c>): read-only, admins only when authentication is on.
/// Get it from <see cref="KeelClient.Audit"/>.
/// </summary>
public sealed class KeelAuditClient
{
    private readonly HttpClient _http;
    private readonly Uri _root;

    internal KeelAuditClient(HttpClient http, Uri root)
    {
        _http = http;
        _root = root;
    }

    /// <summary>Lists one page of audit entries, oldest first.</summary>
    /// <param name="query">The filters; null lists everything.</param>
    /// <param name="pageToken">The previous page's <see cref="AuditPage.NextPageToken"/>, or null for the first page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page.</returns>
    public async Task<AuditPage> ListAsync(AuditQuery? query = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        query ??= new AuditQuery();
        var parameters = new QueryString()
            .Add("since", query.Since?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            .Add("until", query.Until?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            .Add("actor", query.Actor)
            .Add("action", query.Action)
            .Add("resource", query.Resource)
            .Add("max_results", query.MaxResults.ToString(CultureInfo.InvariantCulture))
            .Add("page_token", pageToken);
        return await GetAsync("audit" + parameters, KeelJsonContext.Default.AuditPage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every entry the query matches, page by page.</summary>
    /// <param name="query">The filters; null lists everything.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The entries, oldest first.</returns>
    public async IAsyncEnumerable<AuditEntry> ListAllAsync(
        AuditQuery? query = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListAsync(query, token, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    /// <summary>Has the server walk the whole chain with its key and report the first entry that does not fit.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The verification; <see cref="AuditVerification.Ok"/> is false when the trail was tampered with.</returns>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        GetAsync("audit/verify", KeelJsonContext.Default.AuditVerification, cancellationToken);

    private async Task<T> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_root, path), cancellationToken).ConfigureAwait(false);
        return await KeelClient.ReadAnswerAsync(response, type, cancellationToken).ConfigureAwait(false);
    }
}
