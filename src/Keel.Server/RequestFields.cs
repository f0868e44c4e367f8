using System.Text.Json;

namespace Keel.Server;

/// <summary>
/// A request's named values where MLflow's and Keel's clients put them: route values, the query string (GET), or the
/// top level of a JSON body (POST, PATCH, DELETE). The body is buffered and rewound, so the endpoint reads it again.
/// </summary>
internal sealed class RequestFields(HttpContext http)
{
    private JsonDocument? _body;
    private bool _bodyRead;

    public string? Route(string name) => http.Request.RouteValues.TryGetValue(name, out var value) && value?.ToString() is { Length: > 0 } text
        ? Uri.UnescapeDataString(text)
        : null;

    public async ValueTask<string?> FieldAsync(string name, CancellationToken ct) =>
        (await FieldsAsync(name, ct)) is [var first, ..] ? first : null;

    /// <summary>Every value of a field: a query key can repeat (get-history-bulk's run_id), so each must be checked.</summary>
    public async ValueTask<IReadOnlyList<string>> FieldsAsync(string name, CancellationToken ct)
    {
        if (Route(name) is { } routed)
        {
            return [routed];
        }

        if (http.Request.Query.TryGetValue(name, out var queried) && queried.Count > 0)
        {
            return queried.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        }

        var body = await BodyAsync(ct);
        if (body?.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty(name, out var field))
        {
            return [];
        }

        return field.ValueKind switch
        {
            JsonValueKind.String => field.GetString() is { Length: > 0 } text ? [text] : [],
            JsonValueKind.Number => [field.GetRawText()],
            _ => [],
        };
    }

    private async ValueTask<JsonDocument?> BodyAsync(CancellationToken ct)
    {
        if (_bodyRead)
        {
            return _body;
        }

        _bodyRead = true;
        var request = http.Request;
        // Some MLflow clients send JSON without a content type; uploads (artifacts, data chunks) are never read here.
        var json = request.ContentType is null || request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (request.ContentLength == 0 || !json || HttpMethods.IsGet(request.Method))
        {
            return null;
        }

        request.EnableBuffering();
        try
        {
            _body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            // Unreadable JSON names no resource; the endpoint answers it with INVALID_PARAMETER_VALUE as before.
            _body = null;
        }
        finally
        {
            request.Body.Position = 0;
        }

        if (_body is not null)
        {
            http.Response.RegisterForDispose(_body);
        }

        return _body;
    }
}
