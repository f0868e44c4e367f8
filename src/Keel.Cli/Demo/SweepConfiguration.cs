using System.Globalization;

namespace Keel.Cli.Demo;

/// <summary>One FastTree configuration of the sweep.</summary>
/// <param name="EvaluateEvery">Trees between two logged steps of the learning curve.</param>
internal sealed record SweepConfiguration(
    string Name,
    int NumberOfLeaves,
    double LearningRate,
    int NumberOfTrees,
    int MinimumExampleCountPerLeaf = 20,
    int EvaluateEvery = 10,
    int Seed = 42)
{
    /// <summary>The configuration as run parameters, named the way ML.NET names the options.</summary>
    public IReadOnlyDictionary<string, string> Params => new Dictionary<string, string>
    {
        ["trainer"] = "FastTree",
        ["number_of_leaves"] = NumberOfLeaves.ToString(CultureInfo.InvariantCulture),
        ["learning_rate"] = LearningRate.ToString(CultureInfo.InvariantCulture),
        ["number_of_trees"] = NumberOfTrees.ToString(CultureInfo.InvariantCulture),
        ["minimum_example_count_per_leaf"] = MinimumExampleCountPerLeaf.ToString(CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };
}
