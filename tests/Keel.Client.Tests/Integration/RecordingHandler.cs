using System.Collections.Concurrent;

namespace Keel.Client.Tests.Integration;

/// <summary>Passes requests through to the real server and remembers their URIs, for tests of how the client pages.</summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public ConcurrentQueue<Uri> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.RequestUri!);
        return base.SendAsync(request, cancellationToken);
    }
}
