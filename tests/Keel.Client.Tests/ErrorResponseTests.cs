using System.Net;
using Keel.Testing;

namespace Keel.Client.Tests;

/// <summary>Error answers from a real HTTP server become <see cref="KeelApiException"/>s.</summary>
public class ErrorResponseTests
{
    [Fact]
    public async Task GetExperiment_WithMlflowErrorBody_ThrowsWithCodeStatusAndMessage()
    {
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(404,
            """{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "No Experiment with id=99 exists"}"""));
        using var client = new KeelClient(server.Uri);

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.GetExperimentAsync("99"));

        Assert.Equal("RESOURCE_DOES_NOT_EXIST", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("No Experiment with id=99 exists", ex.Message);
        Assert.Equal("/api/2.0/mlflow/experiments/get?experiment_id=99", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task CreateExperiment_WithDuplicateName_ThrowsResourceAlreadyExistsWith400()
    {
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(400,
            """{"error_code": "RESOURCE_ALREADY_EXISTS", "message": "Experiment 'a' already exists."}"""));
        using var client = new KeelClient(server.Uri);

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.CreateExperimentAsync("a"));

        Assert.Equal(KeelErrorCodes.ResourceAlreadyExists, ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("""{"name":"a"}""", request.Body);
    }

    [Theory]
    [InlineData(404, "ENDPOINT_NOT_FOUND")]
    [InlineData(500, "INTERNAL_ERROR")]
    [InlineData(503, "TEMPORARILY_UNAVAILABLE")]
    [InlineData(401, "BAD_REQUEST")]
    public async Task Request_WithNonMlflowErrorBody_NamesTheStatus(int status, string expectedCode)
    {
        await using var server = LoopbackServer.Start(_ => new LoopbackResponse(status, "upstream says no", "text/plain"));
        using var client = new KeelClient(server.Uri);

        var ex = await Assert.ThrowsAsync<KeelApiException>(() => client.GetRunAsync("r1"));

        Assert.Equal(expectedCode, ex.ErrorCode);
        Assert.Equal(status, (int)ex.StatusCode);
        Assert.Contains($"HTTP {status}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("upstream says no", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_ToClosedPort_ThrowsHttpRequestException()
    {
        using var client = new KeelClient(LoopbackServer.ClosedPortUri());

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetExperimentAsync("1"));
    }
}
