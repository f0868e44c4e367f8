using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Keel.Core.Webhooks;

/// <summary>POSTs one signed payload and reports what came back. It never throws for the receiver's failures.</summary>
internal sealed class WebhookSender(IOptions<WebhookOptions> options, TimeProvider clock) : IDisposable
{
    private const int MaxResponseBody = 64 * 1024;

    // Redirects are not followed: a webhook URL names the one place the payload may go.
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<WebhookResponse> SendAsync(string url, string? secret, string deliveryId, string body, bool readBody, CancellationToken ct)
    {
        var timeout = options.Value.RequestTimeout;
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookPayload.DeliveryIdHeader, deliveryId);
        request.Headers.Add(WebhookPayload.TimestampHeader, timestamp);
        if (!string.IsNullOrEmpty(secret))
        {
            request.Headers.Add(WebhookPayload.SignatureHeader, WebhookPayload.Sign(secret, deliveryId, timestamp, body));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var text = readBody ? await ReadCappedAsync(response, cts.Token) : null;
            return new WebhookResponse((int)response.StatusCode, text, null, Elapsed(started));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookResponse(null, null, $"No answer within {timeout.TotalSeconds:0.###} s.", Elapsed(started));
        }
        catch (HttpRequestException e)
        {
            return new WebhookResponse(null, null, e.Message, Elapsed(started));
        }
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxResponseBody];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose() => _http.Dispose();
}
