using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy set-shadow NAME (--model URI | --clear) [--json]</c></summary>
internal sealed class DeploySetShadowCommand : KeelCommand
{
    private static readonly Option<string?> ModelOption = new("--model", "-m") { Description = "The shadow model URI: it scores a copy of every request." };

    private static readonly Option<bool> ClearOption = new("--clear") { Description = "Remove the shadow." };

    public DeploySetShadowCommand()
        : base("set-shadow", "Set or remove the shadow model (a new revision): its answers are logged with shadow=true, never returned.")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Options.Add(ModelOption);
        Options.Add(ClearOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var model = parseResult.GetValue(ModelOption);
        if (model is null == !parseResult.GetValue(ClearOption))
        {
            throw new FormatException("Give either --model URI or --clear.");
        }

        var deployment = await DeployCommand.Changes(client).SetShadowAsync(parseResult.GetRequiredValue(DeployCommand.NameArgument), model, cancellationToken);
        return DeployCommand.Report(parseResult, output, deployment, "Updated");
    }
}
