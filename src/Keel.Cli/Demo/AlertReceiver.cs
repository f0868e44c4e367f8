using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keel.Cli.Demo;

/// <summary>A webhook delivery as the receiver saw it: the JSON body and whether its HMAC signature matched the secret.</summary>
internal sealed record ReceivedAlert(JsonNode Body, bool SignatureVerified);

/// <summary>
/// The demo's webhook receiver: a loopback HTTP listener that checks each delivery's signature the way a real
/// receiver must (HMAC-SHA256 over "{delivery id}.{timestamp}.{body}", compared in constant time) before trusting it.
/// </summary>
internal sealed class AlertReceiver : IAsyncDisposable
{
    public const string Path = "/alerts";

    private readonly WebApplication _app;
    private readonly Channel<ReceivedAlert> _received = Channel.CreateUnbounded<ReceivedAlert>();

    private AlertReceiver(WebApplication app) => _app = app;

    public Uri Url => new(KeelServer.ListeningAddress(_app), Path);

    public static async Task<AlertReceiver> StartAsync(string secret, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new AlertReceiver(app);
        app.MapPost(Path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            var verified = Verify(secret, request.Headers["X-MLflow-Delivery-Id"].ToString(), request.Headers["X-MLflow-Timestamp"].ToString(),
                body, request.Headers["X-MLflow-Signature"].ToString());
            receiver._received.Writer.TryWrite(new ReceivedAlert(JsonNode.Parse(body)!, verified));
            return Results.Ok();
        });
        await app.StartAsync(ct);
        return receiver;
    }

    /// <summary>Waits for <paramref name="count"/> deliveries; returns those that arrived by <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedAlert>> WaitForAsync(int count, TimeSpan timeout, CancellationToken ct)
    {
        var received = new List<ReceivedAlert>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            while (received.Count < count)
            {
                received.Add(await _received.Reader.ReadAsync(cts.Token));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Timed out: the caller says what did not arrive.
        }

        return received;
    }

    private static bool Verify(string secret, string deliveryId, string timestamp, string body, string signature)
    {
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{deliveryId}.{timestamp}.{body}")));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
