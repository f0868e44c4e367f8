using System.CommandLine;
using System.Text.Json;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary>
/// A verb that talks to the tracking server: resolves <c>--tracking-uri</c>, creates the client, and turns
/// failures into one-line messages and <see cref="ExitCodes"/>.
/// </summary>
internal abstract class KeelCommand : Command
{
    protected KeelCommand(string name, string description)
        : base(name, description)
    {
        SetAction(InvokeAsync);
    }

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken);

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = new CliOutput(parseResult.InvocationConfiguration);
        var trackingUri = TrackingUri.Resolve(parseResult.GetValue(GlobalOptions.TrackingUri));

        KeelClient client;
        try
        {
            client = new KeelClient(trackingUri);
        }
        catch (ArgumentException)
        {
            output.Error($"'{trackingUri}' is not an http:// or https:// URL. Pass --tracking-uri URL or set {TrackingUri.EnvironmentVariable}.");
            return ExitCodes.InvalidArguments;
        }

        using (client)
        {
            try
            {
                return await ExecuteAsync(parseResult, client, output, cancellationToken);
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.ResourceDoesNotExist)
            {
                output.Error(ex.Message);
                return ExitCodes.NotFound;
            }
            catch (FormatException ex)
            {
                // An argument keel parses itself, such as a model URI, is malformed.
                output.Error(ex.Message);
                return ExitCodes.InvalidArguments;
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.InvalidParameterValue)
            {
                output.Error(ex.Message);
                return ExitCodes.InvalidArguments;
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.DataLoss)
            {
                output.Error(ex.Message);
                return ExitCodes.IntegrityError;
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.ResourceAlreadyExists)
            {
                output.Error(ex.Message);
                return ExitCodes.AlreadyExists;
            }
            catch (KeelApiException ex) when (ex.ErrorCode == KeelErrorCodes.InvalidState)
            {
                output.Error(ex.Message);
                return ExitCodes.Refused;
            }
            catch (KeelApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                output.Error($"The tracking server at {client.BaseAddress} requires credentials: set {TrackingCredentials.TokenVariable}, "
                    + $"or {TrackingCredentials.UserVariable} and {TrackingCredentials.PasswordVariable}.");
                return ExitCodes.Unauthenticated;
            }
            catch (KeelApiException ex)
            {
                output.Error($"The tracking server at {client.BaseAddress} answered {ex.ErrorCode} (HTTP {(int)ex.StatusCode}): {ex.Message}");
                return ExitCodes.ServerError;
            }
            catch (HttpRequestException ex)
            {
                output.Error($"Could not reach the tracking server at {client.BaseAddress} ({ex.Message}). "
                    + $"Is it running? Pass --tracking-uri URL or set {TrackingUri.EnvironmentVariable}.");
                return ExitCodes.Unreachable;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                output.Error($"The tracking server at {client.BaseAddress} did not answer in time.");
                return ExitCodes.Unreachable;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                output.Error("Cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // A local path keel was given: missing, empty, not writable, or a target that is not empty.
                output.Error(ex.Message);
                return ExitCodes.InvalidArguments;
            }
            catch (JsonException ex)
            {
                output.Error($"The tracking server at {client.BaseAddress} sent a response keel cannot read: {ex.Message}");
                return ExitCodes.ServerError;
            }
        }
    }
}
