using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keel.Testing;

/// <summary>A request the <see cref="LoopbackServer"/> received.</summary>
internal sealed record LoopbackRequest(string Method, string PathAndQuery, string Body);

/// <summary>The answer a <see cref="LoopbackServer"/> gives.</summary>
internal sealed record LoopbackResponse(int Status, string Body, string ContentType = "application/json");

/// <summary>
/// A real HTTP server on 127.0.0.1 with canned answers, for tests that need the client's whole HTTP stack
/// (sockets, status lines, bodies) rather than a fake handler.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<LoopbackRequest, LoopbackResponse> _respond;
    private readonly Task _loop;

    private LoopbackServer(Func<LoopbackRequest, LoopbackResponse> respond)
    {
        _respond = respond;
        var port = FreePort();
        Uri = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Uri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Uri { get; }

    public ConcurrentQueue<LoopbackRequest> Requests { get; } = new();

    public static LoopbackServer Start(Func<LoopbackRequest, LoopbackResponse> respond) => new(respond);

    /// <summary>A loopback URL nothing listens on, so connecting is refused at once.</summary>
    public static string ClosedPortUri() => $"http://127.0.0.1:{FreePort()}/";

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new LoopbackRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, await reader.ReadToEndAsync());
            Requests.Enqueue(request);

            var response = _respond(request);
            var body = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }
}
