namespace Keel.Core;

/// <summary>MLflow's error codes; Keel uses the same names on its own routes so clients can switch on one set.</summary>
internal static class ErrorCodes
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidState = "INVALID_STATE";
    public const string BadRequest = "BAD_REQUEST";
    public const string InternalError = "INTERNAL_ERROR";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string PermissionDenied = "PERMISSION_DENIED";

    // Stored bytes no longer match their content address.
    public const string DataLoss = "DATA_LOSS";

    // The statuses MLflow's exceptions.py assigns; RESOURCE_ALREADY_EXISTS is 400 there, not 409.
    public static int HttpStatus(string code) => code switch
    {
        ResourceDoesNotExist or EndpointNotFound => 404,
        PermissionDenied => 403,
        InternalError or DataLoss => 500,
        _ => 400,
    };
}

/// <summary>An expected failure with an MLflow error code; the server turns it into the right error body.</summary>
internal sealed class KeelException(string errorCode, string message, int? status = null) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;

    // Keel's own routes answer a duplicate with 409; MLflow's keep the 400 its clients expect.
    public int? Status { get; } = status;

    public static KeelException InvalidParameter(string message) => new(ErrorCodes.InvalidParameterValue, message);

    public static KeelException NotFound(string message) => new(ErrorCodes.ResourceDoesNotExist, message);

    public static KeelException AlreadyExists(string message) => new(ErrorCodes.ResourceAlreadyExists, message);

    public static KeelException Conflict(string message) => new(ErrorCodes.ResourceAlreadyExists, message, 409);
}
