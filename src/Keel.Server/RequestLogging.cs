using System.Diagnostics;

namespace Keel.Server;

/// <summary>
/// One structured line per request (method, path, status, duration). It runs outside the exception
/// handler so the status it logs is the one the client received. Turn the "Keel.Requests" category
/// down to Warning for load tests.
/// </summary>
internal sealed class RequestLogging(RequestDelegate next, ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Keel.Requests");

    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("{Method} {Path} {StatusCode} {ElapsedMs:0.0} ms",
                    http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
