using System.Security.Cryptography;
using Keel.Core.Audit;
using Keel.Core.Auth;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// Appends every mutating request (POST, PUT, PATCH, DELETE) to the audit trail, except scoring calls, which the
/// prediction log already records. The entry is written when the response starts, the status known and no header
/// sent: if it cannot be written, Kestrel answers 500 instead, so no client is told of a change that is not audited.
/// </summary>
internal sealed partial class AuditTrail(RequestDelegate next, AuditStore store, TimeProvider clock, IOptions<AuthOptions> auth)
{
    public const string RequestIdHeader = "X-Request-Id";
    private const int MaxRequestIdLength = 128;

    public async Task InvokeAsync(HttpContext http)
    {
        var pattern = Pattern(http);
        if (!IsAudited(http.Request.Method, pattern))
        {
            await next(http);
            return;
        }

        // Taken now: the exception handler clears the endpoint and route values before the response starts.
        var routeValues = new RouteValueDictionary(http.Request.RouteValues);
        var body = new DigestingStream(http.Request.Body);
        http.Request.Body = body;
        http.Response.OnStarting(() => AppendAsync(http, pattern, routeValues, body));
        await next(http);
    }

    private static bool IsAudited(string method, string? pattern) =>
        (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
        && pattern?.EndsWith("/invocations", StringComparison.Ordinal) != true;

    private static string? Pattern(HttpContext http) => (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } raw
        ? "/" + raw.Trim('/')
        : null;

    private async Task AppendAsync(HttpContext http, string? pattern, RouteValueDictionary routeValues, DigestingStream body)
    {
        var digest = await body.FinishAsync(http.RequestAborted);
        await store.AppendAsync(new AuditRecord(
            clock.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor(http),
            $"{http.Request.Method} {pattern ?? http.Request.Path.Value}",
            pattern is null ? null : AuditResources.Find(pattern, routeValues, body.Captured),
            RequestId(http),
            http.Response.StatusCode,
            digest), CancellationToken.None);
    }

    // With authentication on, a request that did not authenticate acts for nobody, whatever its X-Keel-User says.
    private string Actor(HttpContext http) => auth.Value.Enabled
        ? RequestUser.Authenticated(http)?.Name ?? RequestUser.Anonymous
        : RequestUser.Of(http);

    public static string RequestId(HttpContext http) =>
        http.Request.Headers[RequestIdHeader].ToString() is { Length: > 0 and <= MaxRequestIdLength } id ? id.Trim() : http.TraceIdentifier;

    /// <summary>Hashes the request body as the endpoint reads it, and keeps its start to find the resource a JSON body names.</summary>
    private sealed class DigestingStream(Stream inner) : Stream
    {
        private const int MaxCaptured = 64 * 1024;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly MemoryStream _captured = new();
        private bool _overflowed;

        /// <summary>The whole body when it was small enough to keep, else null.</summary>
        public ReadOnlyMemory<byte>? Captured => _overflowed ? null : _captured.GetBuffer().AsMemory(0, (int)_captured.Length);

        /// <summary>Reads what the endpoint left unread, so the digest always covers the whole body; null if it could not be read.</summary>
        public async Task<string?> FinishAsync(CancellationToken ct)
        {
            try
            {
                var buffer = new byte[16 * 1024];
                while (await ReadAsync(buffer, ct) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
            {
                return null;
            }

            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            Observe(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Observe(buffer.AsSpan(offset, read));
            return read;
        }

        private void Observe(ReadOnlySpan<byte> bytes)
        {
            _hash.AppendData(bytes);
            if (!_overflowed)
            {
                _overflowed = _captured.Length + bytes.Length > MaxCaptured;
                if (!_overflowed)
                {
                    _captured.Write(bytes);
                }
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
                _captured.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
