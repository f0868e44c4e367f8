using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel deploy create NAME --model URI [--canary URI --canary-percent N] [--json]</c></summary>
internal sealed class DeployCreateCommand : KeelCommand
{
    private static readonly Option<string> ModelOption = new("--model")
    {
        Description = "The primary model: models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/STAGE.",
        Required = true,
    };

    public DeployCreateCommand()
        : base("create", "Create a deployment (revision 1).")
    {
        Arguments.Add(DeployCommand.NameArgument);
        Options.Add(ModelOption);
        Options.Add(DeployCommand.CanaryOption);
        Options.Add(DeployCommand.CanaryPercentOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var deployment = await DeployCommand.Changes(client).CreateAsync(
            parseResult.GetRequiredValue(DeployCommand.NameArgument), parseResult.GetRequiredValue(ModelOption), DeployCommand.Canary(parseResult),
            cancellationToken);
        return DeployCommand.Report(parseResult, output, deployment, "Created");
    }
}
