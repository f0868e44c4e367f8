using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary><c>keel trace PREDICTION_ID [--json]</c>: one answer, followed back to the revision, version, run and data behind it.</summary>
internal sealed class TraceCommand : KeelCommand
{
    private static readonly Argument<string> IdArgument = new("PREDICTION_ID")
    {
        Description = "The prediction's id, as the serving host returned it in X-Keel-Prediction-Id.",
    };

    public TraceCommand()
        : base("trace", "Show what produced a logged prediction: deployment revision, model version and its promotions, source run, params and data.")
    {
        Arguments.Add(IdArgument);
        Options.Add(GlobalOptions.Json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var trace = await client.GetPredictionTraceAsync(parseResult.GetRequiredValue(IdArgument), cancellationToken);
        if (parseResult.GetValue(GlobalOptions.Json))
        {
            output.Json(trace);
            return ExitCodes.Success;
        }

        var console = output.Console;
        var p = trace.Prediction;
        var grid = new Grid().AddColumn().AddColumn();
        ModelsShowCommand.AddRow(grid, "Prediction", p.PredictionId);
        ModelsShowCommand.AddRow(grid, "Answered", Formatting.Time(p.Time));
        ModelsShowCommand.AddRow(grid, "Model", $"models:/{p.ModelName}/{p.ModelVersion}{(p.Shadow ? " (shadow, not returned)" : "")}");
        ModelsShowCommand.AddRow(grid, "Request key", p.RequestKey ?? "-");
        ModelsShowCommand.AddRow(grid, "Inputs", p.Inputs.GetRawText());
        ModelsShowCommand.AddRow(grid, "Outputs", p.Outputs.GetRawText());
        console.Write(grid);
        console.WriteLine();

        if (trace.DeploymentRevision is { } r)
        {
            output.Line($"Served by deployment {p.Deployment} revision {r.Revision.ToString(CultureInfo.InvariantCulture)}: {r.Model}"
                + $"{(r.Canary is { } c ? $", canary {c.Model} at {c.Percent}%" : "")} — made by {r.Actor} at {Formatting.Time(r.Time)}"
                + $"{(r.Cause is { } cause ? $" ({cause})" : "")}.");
        }
        else
        {
            output.Line(p.Deployment is null
                ? "Served outside any deployment (logged by a host that named none)."
                : $"Served by deployment {p.Deployment} revision {p.Revision}, which no longer exists.");
        }

        output.Line("");
        if (trace.ModelVersion is not { } card)
        {
            output.Line($"Model version {p.ModelName}/{p.ModelVersion} no longer exists in the registry.");
            return ExitCodes.Success;
        }

        output.Line($"Version {card.Name}/{card.Version} registered by {card.RegisteredBy ?? "-"} at {Formatting.Time(card.RegisteredAt)} from {card.Source}.");
        RunsShowCommand.WriteSection(console, "Promotions", card.History, ["When", "By", "Change"], h => [Formatting.Time(h.Time), h.Actor, h.Change]);
        if (card.Run is { } run)
        {
            ModelsLineageCommand.WriteRun(console, run);
        }
        else
        {
            output.Line("Run: none (registered from a location outside any run).");
        }

        RunsShowCommand.WriteSection(console, "Data versions", trace.DataVersions, ["Version", "Digest", "Context"], d => [d.Uri, d.Digest, d.Context ?? "-"]);
        return ExitCodes.Success;
    }
}
