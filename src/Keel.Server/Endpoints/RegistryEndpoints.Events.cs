using System.Globalization;
using Keel.Core;
using Keel.Core.Registry;
using Keel.Server.Mlflow;

namespace Keel.Server.Endpoints;

internal static partial class RegistryEndpoints
{
    /// <summary>
    /// GET /api/keel/v1/registry/events?name=&amp;after=&amp;max_results=: the registry's change log, oldest first.
    /// Poll with after = the last id seen. A Keel route, so errors are ProblemDetails.
    /// </summary>
    private static async Task<IResult> ListEventsAsync(HttpRequest request, RegistryStore store, CancellationToken ct)
    {
        var name = request.Query["name"].ToString();
        var events = await store.ReadEventsAsync(
            name.Length == 0 ? null : name, OptionalLong(request, "after"), OptionalLong(request, "max_results"), ct);
        return Json(new { events = events.Select(e => e.ToMessage()).ToList() });
    }

    /// <summary>An optional integer query parameter of a Keel route; anything else is INVALID_PARAMETER_VALUE.</summary>
    internal static long? OptionalLong(HttpRequest request, string key)
    {
        var text = request.Query[key].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw KeelException.InvalidParameter($"Query parameter '{key}' must be an integer, got '{text}'.");
    }
}
