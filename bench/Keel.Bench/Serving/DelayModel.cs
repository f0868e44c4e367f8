using Keel.Client;
using Keel.Client.ML;
using Microsoft.ML;

namespace Keel.Bench.Serving;

/// <summary>
/// The model the serving bench serves: the demo's shape (FastTree over hour, day, distance, origin, destination),
/// trained on generated rows, logged with the mlnet and onnx flavors and registered under alias "champion".
/// </summary>
internal static class DelayModel
{
    public const string Alias = "champion";

    private static readonly string[] Airports = ["ORD", "ATL", "SEA", "DEN", "LGA", "SFO", "DFW", "BOS"];

    public sealed class Row
    {
        public float Hour { get; set; }

        public float DayOfWeek { get; set; }

        public float Distance { get; set; }

        public string Origin { get; set; } = "";

        public string Destination { get; set; } = "";

        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }

    /// <summary>One request's body: a single row, as an online caller sends it.</summary>
    public static string RequestBody(Row row) =>
        $$"""{"dataframe_records": [{"Hour": {{row.Hour}}, "DayOfWeek": {{row.DayOfWeek}}, "Distance": {{row.Distance}}, "Origin": "{{row.Origin}}", "Destination": "{{row.Destination}}"}]}""";

    /// <summary>Trains, logs and registers the model; returns its name, a sample row and ML.NET's score for it.</summary>
    public static async Task<(string Name, Row Sample, float Score)> RegisterAsync(Uri trackingUri, CancellationToken ct)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(11);
        var rows = Enumerable.Range(0, 5000).Select(_ =>
        {
            var row = new Row
            {
                Hour = random.Next(5, 23),
                DayOfWeek = random.Next(0, 7),
                Distance = random.Next(100, 2800),
                Origin = Airports[random.Next(Airports.Length)],
                Destination = Airports[random.Next(Airports.Length)],
            };
            row.Label = row.Hour / 23f + (row.Origin == "ORD" ? 0.3f : 0) + (row.DayOfWeek == 5 ? 0.2f : 0) + (float)random.NextDouble() * 0.6f > 1f;
            return row;
        }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Categorical.OneHotEncoding([new("OriginCode", nameof(Row.Origin)), new("DestinationCode", nameof(Row.Destination))])
            .Append(ml.Transforms.Concatenate("Features", nameof(Row.Hour), nameof(Row.DayOfWeek), nameof(Row.Distance), "OriginCode", "DestinationCode"))
            .Append(ml.BinaryClassification.Trainers.FastTree(nameof(Row.Label), "Features", numberOfLeaves: 20, numberOfTrees: 100))
            .Fit(data);

        using var client = new KeelClient(trackingUri.ToString());
        var experimentId = await client.CreateExperimentAsync("serving-bench", cancellationToken: ct);
        var name = "bench-delay";
        await using (var run = await client.StartRunAsync(experimentId, "fasttree", cancellationToken: ct))
        {
            await run.LogModelAsync(model, data.Schema, "model", new LogModelOptions { ExportOnnx = true }, ct);
            var info = await client.GetRunAsync(run.RunId, ct);
            await client.CreateRegisteredModelAsync(name, cancellationToken: ct);
            var version = await client.CreateModelVersionAsync(name, info.Info.ArtifactUri + "/model", run.RunId, cancellationToken: ct);
            await client.SetModelAliasAsync(name, Alias, version.Version, ct);
        }

        var sample = rows[0];
        var score = ml.Data.CreateEnumerable<Scored>(model.Transform(ml.Data.LoadFromEnumerable([sample])), reuseRowObject: false).Single().Score;
        return (name, sample, score);
    }
}
