using System.Text.Json;
using Keel.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Keel.Server.Mlflow;

/// <summary>
/// The one place exceptions become responses: MLflow's error body on MLflow's routes, RFC 7807
/// ProblemDetails (with the same errorCode) on Keel's own.
/// </summary>
internal sealed class ErrorHandler(IProblemDetailsService problems, ILogger<ErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (code, message) = exception switch
        {
            KeelException k => (k.ErrorCode, k.Message),
            BadHttpRequestException b => (ErrorCodes.BadRequest, b.Message),
            JsonException j => (ErrorCodes.InvalidParameterValue, j.Message),
            _ => (ErrorCodes.InternalError, "An internal error occurred. See the server log for details."),
        };
        if (code == ErrorCodes.InternalError)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        }

        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            KeelException { Status: { } explicitStatus } => explicitStatus,
            _ => ErrorCodes.HttpStatus(code),
        };
        return await WriteAsync(http, status, code, message, problems);
    }

    private static async ValueTask<bool> WriteAsync(HttpContext http, int status, string code, string message, IProblemDetailsService problems)
    {
        http.Response.StatusCode = status;
        if (MlflowRoutes.Contains(http.Request.Path))
        {
            await http.Response.WriteAsJsonAsync(new MlflowError(code, message), MlflowJson.Options);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = code, Detail = message, Extensions = { ["errorCode"] = code } },
        });
    }

    private sealed record MlflowError(string ErrorCode, string Message);
}
