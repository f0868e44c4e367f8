using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel tokens revoke ID</c></summary>
internal sealed class TokensRevokeCommand : KeelCommand
{
    private static readonly Argument<string> Id = new("ID") { Description = "The token's id, from keel tokens list." };

    public TokensRevokeCommand()
        : base("revoke", "Revoke one of your API tokens; it stops working at once.")
    {
        Arguments.Add(Id);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var id = parseResult.GetRequiredValue(Id);
        await client.Auth.RevokeTokenAsync(id, cancellationToken);
        output.Line($"Revoked {id}.");
        return ExitCodes.Success;
    }
}
