using Microsoft.AspNetCore.WebUtilities;

namespace Keel.Server.Ui;

/// <summary>Links that keep a page's state: every page's state is its query string, so a link changes only what it names.</summary>
internal static class UiUrl
{
    /// <summary>The current URL with the given parameters replaced (a null value removes one).</summary>
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        foreach (var (key, value) in changes)
        {
            query.Remove(key);
            if (value is not null)
            {
                query[key] = value;
            }
        }

        var pairs = query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return QueryHelpers.AddQueryString(request.Path, pairs);
    }
}
