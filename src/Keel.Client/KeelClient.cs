using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Keel.Client.Protocol;

namespace Keel.Client;

/// <summary>
/// A client for a tracking server that speaks MLflow's REST protocol (<c>/api/2.0/mlflow/...</c>),
/// such as Keel's own server or MLflow's.
/// </summary>
/// <remarks>
/// Methods throw <see cref="KeelApiException"/> when the server answers with an error, and
/// <see cref="HttpRequestException"/> when it cannot be reached. Timestamps are Unix epoch
/// milliseconds, as on the wire. Instances are thread-safe.
/// </remarks>
public sealed partial class KeelClient : IDisposable
{
    private const string ApiPrefix = "api/2.0/mlflow/";
    private const string KeelApiPrefix = "api/keel/v1/";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client that sends requests through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">
    /// A client whose <see cref="HttpClient.BaseAddress"/> is the tracking URI, such as <c>http://127.0.0.1:5000</c>.
    /// The caller keeps ownership of it.
    /// </param>
    /// <exception cref="ArgumentException">The client has no base address.</exception>
    public KeelClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the tracking server's URL.", nameof(httpClient));
        }

        _http = httpClient;
        BaseAddress = TrackingUri.ToBaseAddress(httpClient.BaseAddress);
    }

    /// <summary>
    /// Creates a client for the tracking server at <paramref name="trackingUri"/> that authenticates as MLflow's clients
    /// do: <c>MLFLOW_TRACKING_TOKEN</c> (Bearer), else <c>MLFLOW_TRACKING_USERNAME</c> and <c>MLFLOW_TRACKING_PASSWORD</c> (Basic).
    /// </summary>
    /// <param name="trackingUri">The server's http or https URL; <see cref="TrackingUri.Resolve(string?)"/> finds the usual one.</param>
    /// <exception cref="ArgumentException">The URI is not an absolute http or https URL.</exception>
    public KeelClient(string trackingUri)
    {
        ArgumentNullException.ThrowIfNull(trackingUri);
        BaseAddress = TrackingUri.ToBaseAddress(trackingUri);
        _http = new HttpClient { BaseAddress = BaseAddress };
        _http.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
        _ownsHttp = true;
    }

    /// <summary>The tracking server's URL, ending in <c>/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Releases the <see cref="HttpClient"/> if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await SendPostAsync(endpoint, body, requestType, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    private async Task PostAsync<TRequest>(string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        using var response = await SendPostAsync(endpoint, body, requestType, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendPostAsync<TRequest>(
        string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, endpoint, body, requestType, cancellationToken);

    /// <summary>Sends a JSON body with any method: MLflow's registry uses PATCH for updates and DELETE (with a body) for deletes.</summary>
    private async Task<HttpResponseMessage> SendJsonAsync<TRequest>(
        HttpMethod method, string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, ApiUri(endpoint)) { Content = JsonContent.Create(body, requestType) };
        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private async Task<TResponse> SendJsonAsync<TRequest, TResponse>(
        HttpMethod method, string endpoint, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        using var response = await SendJsonAsync(method, endpoint, body, requestType, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TResponse> GetAsync<TResponse>(string endpoint, QueryString query, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(ApiUri(endpoint + query.ToString()), cancellationToken).ConfigureAwait(false);
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    private Uri ApiUri(string endpointAndQuery) => new(BaseAddress, ApiPrefix + endpointAndQuery);

    private Uri KeelApiUri(string pathAndQuery) => new(BaseAddress, KeelApiPrefix + pathAndQuery);

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            return value ?? throw new JsonException("The response body was JSON null.");
        }
        catch (JsonException ex)
        {
            throw new KeelApiException(
                $"{response.RequestMessage?.RequestUri} answered with a body that is not the expected MLflow JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Throws for an error answer (Keel's ProblemDetails or MLflow's error body), else reads the JSON body.</summary>
    internal static async Task<T> ReadAnswerAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await ThrowIfErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task ThrowIfErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var error = TryParseError(body) ?? TryParseProblem(body);
        var request = response.RequestMessage;
        throw error is { ErrorCode: { Length: > 0 } code }
            ? new KeelApiException(code, error.Message ?? code, response.StatusCode)
            : new KeelApiException(
                ErrorCodeFor(response.StatusCode),
                $"{request?.Method} {request?.RequestUri} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(body)}",
                response.StatusCode);
    }

    private static ErrorResponse? TryParseError(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, KeelJsonContext.Default.ErrorResponse) is { ErrorCode.Length: > 0 } error ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Keel's own routes (/api/keel/v1/...) answer errors as ProblemDetails with the same codes in errorCode.
    private static ErrorResponse? TryParseProblem(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, KeelJsonContext.Default.ProblemDetailsResponse) is { ErrorCode.Length: > 0 } problem
                ? new ErrorResponse(problem.ErrorCode, problem.Detail ?? problem.Title)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A proxy or a non-MLflow server answers without MLflow's error body; name the failure by its status
    // the way MLflow's own client does, so callers can still switch on ErrorCode.
    private static string ErrorCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => KeelErrorCodes.EndpointNotFound,
        HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests => KeelErrorCodes.TemporarilyUnavailable,
        >= HttpStatusCode.InternalServerError => KeelErrorCodes.InternalError,
        _ => KeelErrorCodes.BadRequest,
    };

    private static string Excerpt(string body)
    {
        const int MaxLength = 200;
        body = body.Trim();
        if (body.Length == 0)
        {
            return "";
        }

        return ": " + (body.Length <= MaxLength ? body : body[..MaxLength] + "...");
    }

    private static long NowMilliseconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
