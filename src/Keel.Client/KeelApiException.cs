using System.Net;

namespace Keel.Client;

/// <summary>
/// The tracking server answered a request with an error: an HTTP 4xx or 5xx status and, for the
/// MLflow protocol, a body of the form <c>{"error_code": "...", "message": "..."}</c>.
/// </summary>
/// <remarks>
/// Failures to reach the server at all (refused connection, DNS, TLS) surface as
/// <see cref="HttpRequestException"/>, not as this type.
/// </remarks>
public sealed class KeelApiException : Exception
{
    /// <summary>Creates an exception for an error answer from the server.</summary>
    /// <param name="errorCode">MLflow's error code, such as <c>RESOURCE_DOES_NOT_EXIST</c>; see <see cref="KeelErrorCodes"/>.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="statusCode">The HTTP status of the answer.</param>
    public KeelApiException(string errorCode, string message, HttpStatusCode statusCode)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>Creates an exception with <see cref="KeelErrorCodes.InternalError"/> and status 500.</summary>
    public KeelApiException()
        : this(KeelErrorCodes.InternalError, "The tracking server reported an error.", HttpStatusCode.InternalServerError)
    {
    }

    /// <summary>Creates an exception with <see cref="KeelErrorCodes.InternalError"/> and status 500.</summary>
    /// <param name="message">What went wrong.</param>
    public KeelApiException(string message)
        : this(KeelErrorCodes.InternalError, message, HttpStatusCode.InternalServerError)
    {
    }

    /// <summary>Creates an exception with <see cref="KeelErrorCodes.InternalError"/> and status 500.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public KeelApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = KeelErrorCodes.InternalError;
        StatusCode = HttpStatusCode.InternalServerError;
    }

    /// <summary>MLflow's error code, such as <c>RESOURCE_DOES_NOT_EXIST</c>; compare with <see cref="KeelErrorCodes"/>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the server's answer.</summary>
    public HttpStatusCode StatusCode { get; }
}
