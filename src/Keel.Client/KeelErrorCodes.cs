namespace Keel.Client;

/// <summary>The MLflow error codes a Keel tracking server answers with, for comparing with <see cref="KeelApiException.ErrorCode"/>.</summary>
public static class KeelErrorCodes
{
    /// <summary>A request parameter is missing or malformed, such as a bad filter expression.</summary>
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <summary>The experiment, run or other resource named by the request does not exist.</summary>
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";

    /// <summary>A resource with that name already exists (MLflow answers this with HTTP 400).</summary>
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    /// <summary>The resource is not in a state that allows the operation, such as logging to a deleted run.</summary>
    public const string InvalidState = "INVALID_STATE";

    /// <summary>The request could not be understood.</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The server has no such endpoint.</summary>
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>The server failed while handling the request.</summary>
    public const string InternalError = "INTERNAL_ERROR";

    /// <summary>The server is overloaded or starting; the request may succeed later.</summary>
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    /// <summary>Stored bytes no longer match their content address: a dataset chunk or manifest is corrupted or missing.</summary>
    public const string DataLoss = "DATA_LOSS";
}
