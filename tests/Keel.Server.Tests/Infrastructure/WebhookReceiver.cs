using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keel.Server.Tests.Infrastructure;

/// <summary>A request a <see cref="WebhookReceiver"/> got: its headers and its body exactly as sent.</summary>
public sealed record ReceivedWebhook(IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException(name);

    /// <summary>Checks X-MLflow-Signature as a receiver following MLflow's docs would: HMAC-SHA256 over "id.timestamp.body".</summary>
    public bool SignatureIsValid(string secret)
    {
        var signed = $"{Header("X-MLflow-Delivery-Id")}.{Header("X-MLflow-Timestamp")}.{Body}";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(signed)));
        return Headers.TryGetValue("X-MLflow-Signature", out var actual) && actual == expected;
    }
}

/// <summary>
/// A real HTTP endpoint on loopback (Kestrel) that records every POST and answers with the status its
/// responder gives for the request: what a deployment hook on the other side would be.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(Func<ReceivedWebhook, int> status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var received = new ReceivedWebhook(headers, body);
            Received.Enqueue(received);
            var code = status(received);
            return Results.Text(code < 300 ? "ok" : "nope", "text/plain", statusCode: code);
        });
    }

    public string Url { get; private set; } = "";

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Starts a receiver answering <c>status(n)</c> for the n-th request (1-based).</summary>
    public static Task<WebhookReceiver> StartAsync(Func<int, int>? status = null)
    {
        var count = 0;
        return StartRespondingAsync(status is null ? _ => 200 : _ => status(Interlocked.Increment(ref count)));
    }

    /// <summary>
    /// Starts a receiver answering what <paramref name="status"/> says for each request: for a server whose
    /// other tests also deliver here, a responder keyed on the body fails only the deliveries it means to.
    /// </summary>
    public static async Task<WebhookReceiver> StartRespondingAsync(Func<ReceivedWebhook, int> status)
    {
        var receiver = new WebhookReceiver(status);
        await receiver._app.StartAsync();
        receiver.Url = KeelServer.ListeningAddress(receiver._app) + "hook";
        return receiver;
    }

    /// <summary>The requests whose body mentions <paramref name="text"/> (a model name unique to the test).</summary>
    public List<ReceivedWebhook> About(string text) => Received.Where(r => r.Body.Contains(text, StringComparison.Ordinal)).ToList();

    public async Task<List<ReceivedWebhook>> WaitForAsync(string text, int count, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (About(text).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        var received = About(text);
        Assert.True(received.Count >= count, $"Expected {count} deliveries about {text}, got {received.Count}");
        return received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
