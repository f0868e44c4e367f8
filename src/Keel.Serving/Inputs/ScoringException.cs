using Microsoft.AspNetCore.Http;

namespace Keel.Serving.Inputs;

/// <summary>A request the model cannot score as sent; answered as MLflow does, with BAD_REQUEST and the message.</summary>
internal sealed class ScoringException(string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int Status { get; } = status;
}
