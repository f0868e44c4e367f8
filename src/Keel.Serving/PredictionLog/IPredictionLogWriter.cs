using System.Net.Http.Headers;
using Keel.Client;

namespace Keel.Serving.PredictionLog;

/// <summary>
/// Where the <see cref="PredictionLogger"/> sends a batch, <c>{"predictions": [...]}</c>: the tracking server over
/// HTTP for <c>keel serve</c>, the store itself for deployments served inside the server. Throws
/// <see cref="PredictionLogRejectedException"/> when the store refuses the batch (retrying cannot help); any other
/// exception means "try again".
/// </summary>
internal interface IPredictionLogWriter
{
    Task WriteAsync(ReadOnlyMemory<byte> batch, CancellationToken ct);
}

internal sealed class PredictionLogRejectedException(string message) : Exception(message);

/// <summary>Posts batches to a tracking server's <c>POST /api/keel/v1/predictions</c>, with MLflow's credentials from the environment.</summary>
internal sealed class HttpPredictionLogWriter : IPredictionLogWriter, IDisposable
{
    private const string Route = "api/keel/v1/predictions";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;

    public HttpPredictionLogWriter(Uri server)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> batch, CancellationToken ct)
    {
        using var content = new ReadOnlyMemoryContent(batch);
        content.Headers.ContentType = JsonType;
        using var response = await _http.PostAsync(Route, content, ct);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        throw (int)response.StatusCode is >= 400 and < 500
            ? new PredictionLogRejectedException($"The tracking server refused a prediction-log batch ({(int)response.StatusCode}): {text}")
            : new HttpRequestException($"The tracking server answered {(int)response.StatusCode}.");
    }

    public void Dispose() => _http.Dispose();
}
