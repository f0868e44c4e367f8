using System.Net.Sockets;
using System.Text;

namespace Keel.Server.Tests.Infrastructure;

/// <summary>
/// Sends a request with the path exactly as written. HttpClient/Uri would normalise "../" and
/// re-encode characters, which hides the attacks a path-traversal test must send.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string method, string rawPath, string body = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"{method} {rawPath} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var separator = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, separator < 0 ? "" : response[(separator + 4)..]);
    }
}
