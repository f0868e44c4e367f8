using System.CommandLine;
using Keel.Client;
using Keel.Core;
using Keel.Core.Gates;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel gate check --run RUN_ID --gate gate.yaml [--record-on MODEL] [--json]</c>: every condition with its actual
/// value and PASS/FAIL; exits <see cref="ExitCodes.GateFailed"/> naming the failing conditions. Evaluated here with
/// the server's parser and evaluator, so the CLI and <c>POST /api/keel/v1/gates/check</c> cannot disagree.
/// </summary>
internal sealed class GateCheckCommand : KeelCommand
{
    private static readonly Option<string> RunOption = new("--run") { Description = "The evaluation run whose metrics and tags are checked.", Required = true };

    private static readonly Option<FileInfo> GateOption = new("--gate") { Description = "The gate file (name: and conditions:, see README).", Required = true };

    private static readonly Option<string?> RecordOnOption = new("--record-on")
    {
        Description = $"Record the result on this model version ({ModelReference.Forms}) as tags keel.gate.NAME, .run_id and .digest.",
    };

    public GateCheckCommand()
        : base("check", "Check a run against a gate file: each condition with its actual value; exit code 21 when any fails.")
    {
        Options.Add(RunOption);
        Options.Add(GateOption);
        Options.Add(RecordOnOption);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var file = parseResult.GetRequiredValue(GateOption);
        var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
        Gate gate;
        try
        {
            gate = GateParser.Parse(text);
        }
        catch (KeelException e)
        {
            output.Error($"{file.Name}: {e.Message}");
            return ExitCodes.InvalidArguments;
        }

        var recordOn = parseResult.GetValue(RecordOnOption) is { } model ? ModelReference.ParseVersion(model) : null;
        var run = await client.GetRunAsync(parseResult.GetRequiredValue(RunOption), cancellationToken);
        var result = GateEvaluator.Evaluate(gate, run.Info.RunId, new GateInputs(
            run.Data.Metrics.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            run.Data.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal)));

        string? recorded = null;
        if (recordOn is not null)
        {
            var version = await client.ResolveModelUriAsync(recordOn.ToString(), cancellationToken);
            // The server checks the gate again and writes the result tags itself: clients may not set them.
            await client.RecordGateCheckAsync(result.RunId, text, version.Name, version.Version, cancellationToken);
            recorded = ModelReference.Label(version.Name, version.Version);
        }

        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(new { gate = result.Name, digest = result.Digest, run_id = result.RunId, status = result.Status, passed = result.Passed, conditions = result.Conditions, recorded_on = recorded });
        }
        else
        {
            Print(result, output);
            if (recorded is not null)
            {
                output.Line($"Recorded keel.gate.{result.Name} = {result.Status} on {recorded}.");
            }
        }

        if (result.Passed)
        {
            return ExitCodes.Success;
        }

        var failing = result.Conditions.Where(c => !c.Passed).ToList();
        output.Error($"Gate '{result.Name}' failed {failing.Count} of {result.Conditions.Count} conditions: {string.Join("; ", failing.Select(c => c.Condition))}.");
        return ExitCodes.GateFailed;
    }

    private static void Print(GateResult result, CliOutput output)
    {
        var width = result.Conditions.Max(c => c.Condition.Length);
        foreach (var c in result.Conditions)
        {
            var detail = c.Message ?? (c.Passed ? $"actual {c.Actual}" : $"actual {c.Actual}, needs {c.Expected}");
            output.Line($"{(c.Passed ? "PASS" : "FAIL")}  line {c.Line,-3} {c.Condition.PadRight(width)}  {detail}");
        }

        output.Line($"Gate '{result.Name}' on run {result.RunId}: {(result.Passed ? "PASSED" : "FAILED")} ({result.Digest})");
    }
}
