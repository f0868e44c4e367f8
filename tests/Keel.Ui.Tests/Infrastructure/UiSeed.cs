using System.Globalization;
using Keel.Client;

namespace Keel.Ui.Tests.Infrastructure;

/// <summary>Data for the pages to show, written through the real client and API as a user's training code would.</summary>
public static class UiSeed
{
    public sealed record SeededExperiment(string ExperimentId, string Name, IReadOnlyList<string> RunIds);

    public static KeelClient Client(Uri baseAddress) => new(new HttpClient { BaseAddress = baseAddress });

    /// <summary>
    /// An experiment of <paramref name="runs"/> runs: run i is named run-i, has params lr = i/100 and depth = i % 3,
    /// a loss curve of <paramref name="steps"/> points ending at 1/(i+1), acc = i/runs, and tag team = a or b.
    /// </summary>
    public static async Task<SeededExperiment> ExperimentAsync(KeelClient client, int runs, int steps = 50)
    {
        var name = "ui-" + Guid.NewGuid().ToString("N")[..10];
        var experimentId = await client.CreateExperimentAsync(name);
        var ids = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            var run = await client.CreateRunAsync(experimentId, $"run-{i:D3}", startTime: 1_700_000_000_000 + (i * 1000));
            var final = 1.0 / (i + 1);
            var loss = Enumerable.Range(0, steps).Select(s =>
                new Metric("loss", final + ((steps - 1 - s) * 0.01), 1_700_000_000_000 + (i * 1000) + s, s));
            await client.LogBatchAsync(
                run.Info.RunId,
                [.. loss, new Metric("acc", (double)i / runs, 1_700_000_100_000, 0)],
                [new Param("lr", (i / 100.0).ToString(CultureInfo.InvariantCulture)), new Param("depth", (i % 3).ToString(CultureInfo.InvariantCulture))],
                [new Tag("team", i % 2 == 0 ? "a" : "b")]);
            ids.Add(run.Info.RunId);
        }

        return new SeededExperiment(experimentId, name, ids);
    }

    public sealed record SeededModel(string Name, SeededExperiment Experiment, string Deployment);

    /// <summary>
    /// A registered model with version 1 from run 0 (moved to Production) and version 2 from run 1 (alias champion),
    /// and a deployment serving models:/NAME@champion with version 1 as a 25% canary, then changed to serve version 1.
    /// </summary>
    public static async Task<SeededModel> ModelAsync(KeelClient client)
    {
        var experiment = await ExperimentAsync(client, runs: 2, steps: 5);
        var name = "model-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateRegisteredModelAsync(name);
        await client.CreateModelVersionAsync(name, "s3://bucket/models/1", experiment.RunIds[0]);
        await client.CreateModelVersionAsync(name, "s3://bucket/models/2", experiment.RunIds[1], description: "deeper trees");
        await client.TransitionModelVersionStageAsync(name, 1, "Production");
        await client.SetModelAliasAsync(name, "champion", 2);
        var deployment = "dep-" + Guid.NewGuid().ToString("N")[..8];
        await client.Deployments.CreateAsync(deployment, $"models:/{name}@champion", new DeploymentCanary($"models:/{name}/1", 25));
        await client.Deployments.SetModelAsync(deployment, $"models:/{name}/1");
        return new SeededModel(name, experiment, deployment);
    }
}
