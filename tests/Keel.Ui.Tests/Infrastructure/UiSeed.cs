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
}
