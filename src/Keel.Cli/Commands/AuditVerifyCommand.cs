using System.CommandLine;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit verify [--json]</c>: exits with <see cref="ExitCodes.IntegrityError"/> naming the first bad entry.</summary>
internal sealed class AuditVerifyCommand : KeelCommand
{
    public AuditVerifyCommand()
        : base("verify", "Have the server walk the audit hash chain with its key; exit 9 naming the first entry that was changed, removed or moved.")
    {
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var result = await client.Audit.VerifyAsync(cancellationToken);
        var status = result.Ok ? ExitCodes.Success : ExitCodes.IntegrityError;
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(result);
            return status;
        }

        if (result.FirstProblem is { } problem)
        {
            output.Error($"audit entry {problem.Seq} is {problem.Kind.Replace('_', ' ')}: {problem.Detail}");
            output.Line($"{result.Entries} entries verified before it.");
            return status;
        }

        // The head is what to keep elsewhere: a copy is the only way to notice the chain's tail being cut off later.
        output.Line($"The audit trail is intact: {result.Entries} entries; head {result.Head.Seq} {result.Head.Hash}.");
        return status;
    }
}
