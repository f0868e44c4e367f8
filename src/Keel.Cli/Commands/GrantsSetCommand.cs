using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel grants set TYPE RESOURCE USER ROLE</c></summary>
internal sealed class GrantsSetCommand : KeelCommand
{
    private static readonly Argument<string> Role = new("ROLE") { Description = "none (deny), reader, use, editor, approver or admin." };

    public GrantsSetCommand()
        : base("set", "Give a user a role on one resource (needs the admin role on it).")
    {
        Arguments.Add(GrantsCommand.Type);
        Arguments.Add(GrantsCommand.Resource);
        Arguments.Add(GrantsCommand.User);
        Arguments.Add(Role);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var type = parseResult.GetRequiredValue(GrantsCommand.Type);
        if (!GrantsRemoveCommand.IsType(type))
        {
            output.Error($"Unknown resource type '{type}'. Types are experiment, registered_model and deployment.");
            return ExitCodes.InvalidArguments;
        }

        var grant = await client.Auth.SetGrantAsync(type, parseResult.GetRequiredValue(GrantsCommand.Resource),
            parseResult.GetRequiredValue(GrantsCommand.User), parseResult.GetRequiredValue(Role), cancellationToken);
        output.Line($"{grant.User} is {grant.Role} on {grant.ResourceType} {grant.Resource}.");
        return ExitCodes.Success;
    }
}
