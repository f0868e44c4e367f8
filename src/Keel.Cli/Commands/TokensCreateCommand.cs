using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel tokens create NAME [--expires-in-days N]</c></summary>
internal sealed class TokensCreateCommand : KeelCommand
{
    private static readonly Argument<string> TokenName = new("NAME") { Description = "What the token is for." };

    private static readonly Option<int?> ExpiresInDays = new("--expires-in-days") { Description = "Stop working after this many days (default: never)." };

    public TokensCreateCommand()
        : base("create", "Create an API token for yourself; the secret is printed once and cannot be shown again.")
    {
        Arguments.Add(TokenName);
        Options.Add(ExpiresInDays);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(ExpiresInDays) is <= 0)
        {
            output.Error("--expires-in-days must be positive.");
            return ExitCodes.InvalidArguments;
        }

        var expires = parseResult.GetValue(ExpiresInDays) is { } days ? DateTimeOffset.UtcNow.AddDays(days) : (DateTimeOffset?)null;
        var created = await client.Auth.CreateTokenAsync(parseResult.GetRequiredValue(TokenName), expires, cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(created);
            return ExitCodes.Success;
        }

        // The secret alone on stdout, so `export MLFLOW_TRACKING_TOKEN=$(keel tokens create ci)` works.
        output.Line(created.Secret);
        return ExitCodes.Success;
    }
}
