using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Bench;

/// <summary>
/// The MLflow REST calls the workloads make, over one pooled HttpClient. Any answer but 200 fails the
/// benchmark: a server that rejects work must not look fast.
/// </summary>
internal sealed class MlflowHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient _http;

    public MlflowHttp(Uri baseAddress, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri(baseAddress, "api/2.0/mlflow/"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>POSTs a ready-made JSON body and returns the response body.</summary>
    public Task<byte[]> PostAsync(string path, byte[] body, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonType;
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content }, ct);
    }

    public Task<byte[]> GetAsync(string pathAndQuery, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative)), ct);

    public Task<byte[]> PostJsonAsync(string path, object body, CancellationToken ct) =>
        PostAsync(path, JsonSerializer.SerializeToUtf8Bytes(body), ct);

    public async Task<string> CreateExperimentAsync(string name, CancellationToken ct)
    {
        var response = await PostJsonAsync("experiments/create", new Dictionary<string, string> { ["name"] = name }, ct);
        return Parse(response)["experiment_id"]!.GetValue<string>();
    }

    public async Task<string> CreateRunAsync(string experimentId, string runName, CancellationToken ct)
    {
        var body = new Dictionary<string, object> { ["experiment_id"] = experimentId, ["run_name"] = runName, ["start_time"] = BenchClock.BaseTimestamp };
        var response = await PostJsonAsync("runs/create", body, ct);
        return Parse(response)["run"]!["info"]!["run_id"]!.GetValue<string>();
    }

    /// <summary>The whole history of one metric as the server returns it, without paging.</summary>
    public Task<byte[]> GetHistoryAsync(string runId, string key, CancellationToken ct) =>
        GetAsync($"metrics/get-history?run_id={runId}&metric_key={Uri.EscapeDataString(key)}", ct);

    /// <summary>Counts the points in a get-history answer and checks there is no further page.</summary>
    public static int CountHistory(byte[] response)
    {
        var root = Parse(response);
        if (root["next_page_token"] is not null)
        {
            throw new BenchmarkException("get-history without max_results answered a partial page.");
        }

        return root["metrics"]?.AsArray().Count ?? 0;
    }

    public static JsonNode Parse(byte[] response) =>
        JsonNode.Parse(response) ?? throw new BenchmarkException("The server answered an empty JSON body.");

    public void Dispose() => _http.Dispose();

    /// <summary>Sends, reads the whole answer, and turns every failure into a <see cref="BenchmarkException"/> naming the call.</summary>
    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            var call = $"{request.Method} {request.RequestUri}";
            try
            {
                using var response = await _http.SendAsync(request, ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    var text = Encoding.UTF8.GetString(body);
                    throw new BenchmarkException($"{call} answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
                }

                return body;
            }
            catch (HttpRequestException e)
            {
                throw new BenchmarkException($"{call} failed: {e.Message} {e.InnerException?.Message}".TrimEnd(), e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new BenchmarkException($"{call} got no answer within {_http.Timeout.TotalSeconds:0} s.", e);
            }
        }
    }
}
