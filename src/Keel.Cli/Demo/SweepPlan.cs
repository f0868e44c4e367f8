namespace Keel.Cli.Demo;

/// <summary>The demo's grid: few enough runs to finish in seconds, different enough to rank.</summary>
internal static class SweepPlan
{
    public static IReadOnlyList<SweepConfiguration> Default { get; } =
    [
        new("leaves-8-lr-0.1", NumberOfLeaves: 8, LearningRate: 0.1, NumberOfTrees: 100),
        new("leaves-16-lr-0.1", NumberOfLeaves: 16, LearningRate: 0.1, NumberOfTrees: 100),
        new("leaves-32-lr-0.05", NumberOfLeaves: 32, LearningRate: 0.05, NumberOfTrees: 100),
        new("leaves-64-lr-0.2", NumberOfLeaves: 64, LearningRate: 0.2, NumberOfTrees: 100),
    ];
}
