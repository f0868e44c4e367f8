using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel grants remove TYPE RESOURCE USER</c></summary>
internal sealed class GrantsRemoveCommand : KeelCommand
{
    public GrantsRemoveCommand()
        : base("remove", "Remove a user's grant on one resource; their workspace role applies to it again.")
    {
        Arguments.Add(GrantsCommand.Type);
        Arguments.Add(GrantsCommand.Resource);
        Arguments.Add(GrantsCommand.User);
    }

    internal static bool IsType(string type) => type.Trim().ToLowerInvariant() is "experiment" or "experiments" or "registered_model" or "registered-model"
        or "registered-models" or "model" or "models" or "deployment" or "deployments";

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var type = parseResult.GetRequiredValue(GrantsCommand.Type);
        if (!IsType(type))
        {
            output.Error($"Unknown resource type '{type}'. Types are experiment, registered_model and deployment.");
            return ExitCodes.InvalidArguments;
        }

        var (resource, user) = (parseResult.GetRequiredValue(GrantsCommand.Resource), parseResult.GetRequiredValue(GrantsCommand.User));
        await client.Auth.RemoveGrantAsync(type, resource, user, cancellationToken);
        output.Line($"Removed {user}'s grant on {type} {resource}.");
        return ExitCodes.Success;
    }
}
