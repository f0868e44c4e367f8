using System.CommandLine;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel tokens list [--json]</c></summary>
internal sealed class TokensListCommand : KeelCommand
{
    public TokensListCommand()
        : base("list", "List your API tokens (never their secrets).")
    {
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var tokens = await client.Auth.ListTokensAsync(cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(tokens);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Id", "Name", "Created", "Expires", "Revoked", "Last used");
        foreach (var t in tokens)
        {
            table.AddRow(t.Id, Markup.Escape(t.Name), Formatting.Time(t.CreationTime), Formatting.Time(t.ExpiryTime), Formatting.Time(t.RevokedTime), Formatting.Time(t.LastUsedTime));
        }

        output.Console.Write(table);
        return ExitCodes.Success;
    }
}
