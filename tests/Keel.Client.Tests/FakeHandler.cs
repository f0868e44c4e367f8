using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Keel.Client.Tests;

/// <summary>A request the client sent, with its body read.</summary>
internal sealed record SentRequest(HttpMethod Method, Uri Uri, string Body)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public string Path => Uri.AbsolutePath;
}

/// <summary>Answers the client in-process, for the client's own logic (paths, bodies, batching).</summary>
internal sealed class FakeHandler(Func<SentRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    public ConcurrentQueue<SentRequest> Requests { get; } = new();

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public KeelClient CreateClient(string baseAddress = "http://tracking.test/") =>
        new(new HttpClient(this) { BaseAddress = new Uri(baseAddress) });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(request.Method, request.RequestUri!, body);
        Requests.Enqueue(sent);
        var response = respond(sent);
        response.RequestMessage = request;
        return response;
    }
}
