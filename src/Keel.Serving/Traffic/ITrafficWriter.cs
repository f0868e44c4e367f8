using System.Net.Http.Json;
using Keel.Client;
using Keel.Core.Deployments;

namespace Keel.Serving.Traffic;

/// <summary>
/// Where the <see cref="TrafficRecorder"/> adds a deployment's counts: the store for deployments served inside the
/// server, the tracking server over HTTP for <c>keel serve --deployment</c>. Any exception means "try again".
/// </summary>
internal interface ITrafficWriter
{
    Task AddAsync(string deployment, IReadOnlyList<TrafficMinute> minutes, CancellationToken ct);
}

/// <summary>Posts counts to a tracking server's <c>POST /api/keel/v1/deployments/{name}/traffic</c>, with MLflow's credentials from the environment.</summary>
internal sealed class HttpTrafficWriter : ITrafficWriter, IDisposable
{
    private readonly HttpClient _http;

    public HttpTrafficWriter(Uri server)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
    }

    public async Task AddAsync(string deployment, IReadOnlyList<TrafficMinute> minutes, CancellationToken ct)
    {
        var body = new
        {
            minutes = minutes.Select(m => new
            {
                minute = m.Minute, model_name = m.ModelName, model_version = m.ModelVersion, requests = m.Requests, errors = m.Errors,
                latency_buckets = m.LatencyBuckets,
            }),
        };
        using var response = await _http.PostAsJsonAsync($"api/keel/v1/deployments/{Uri.EscapeDataString(deployment)}/traffic", body, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The tracking server answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    public void Dispose() => _http.Dispose();
}
