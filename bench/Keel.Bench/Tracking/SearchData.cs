using System.Globalization;

namespace Keel.Bench.Tracking;

/// <summary>One generated run of the search experiment: 5 params, 5 metrics (step 0) and 2 tags.</summary>
internal sealed record SearchRun(int Index, Dictionary<string, string> Params, Dictionary<string, double> Metrics, Dictionary<string, string> Tags)
{
    private static readonly string[] Teams = ["vision-a", "vision-b", "nlp-a", "nlp-b"];
    private static readonly string[] Optimizers = ["adam", "sgd", "rmsprop", "adagrad"];

    public string RunId { get; set; } = "";

    /// <summary>
    /// Seeded, so every benchmark run searches the same data. The values are chosen so each query matches about
    /// half the runs: m1 &gt; 0.25 holds for 3/4 and p1 = 'a' for 2/3; half the teams start with "vision".
    /// </summary>
    public static SearchRun[] Generate(int count)
    {
        var random = new Random(20240610);
        return Enumerable.Range(0, count).Select(i => new SearchRun(
            i,
            new Dictionary<string, string>
            {
                ["p1"] = i % 3 == 0 ? "b" : "a",
                ["p2"] = random.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture),
                ["p3"] = Optimizers[i % Optimizers.Length],
                ["p4"] = (16 << (i % 5)).ToString(CultureInfo.InvariantCulture),
                ["p5"] = (0.1 / (1 + i % 10)).ToString("R", CultureInfo.InvariantCulture),
            },
            Enumerable.Range(1, 5).ToDictionary(m => $"m{m}", _ => random.NextDouble()),
            new Dictionary<string, string> { ["team"] = Teams[i % Teams.Length], ["stage"] = i % 2 == 0 ? "dev" : "prod" })).ToArray();
    }
}
