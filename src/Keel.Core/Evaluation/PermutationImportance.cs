namespace Keel.Core.Evaluation;

/// <summary>A feature's permutation importance: the mean and standard deviation (ddof 0) of the score drop over the repeats.</summary>
internal sealed record FeatureImportance(string Feature, double Mean, double Std, double[] Drops);

/// <summary>
/// scikit-learn's <c>permutation_importance</c>: for each feature and repeat, shuffle that feature's column, score the
/// model again, and record baseline − score. Each (feature, repeat) shuffle has its own seeded generator, so results
/// do not depend on how the work is spread over threads.
/// </summary>
internal static class PermutationImportance
{
    /// <param name="score">Scores the model with one feature's rows reordered: row i takes the value of row permutation[i].</param>
    public static FeatureImportance[] Compute(IReadOnlyList<string> features, int rows, int repeats, int seed, double baseline,
        Func<int, int[], double> score, int parallelism = -1)
    {
        var drops = new double[features.Count][];
        var work = Enumerable.Range(0, features.Count).SelectMany(f => Enumerable.Range(0, repeats).Select(r => (f, r))).ToArray();
        for (var f = 0; f < features.Count; f++)
        {
            drops[f] = new double[repeats];
        }

        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, item =>
        {
            var permutation = Permutation(rows, new Random(HashCode.Combine(seed, item.f, item.r)));
            drops[item.f][item.r] = baseline - score(item.f, permutation);
        });

        return [.. features.Select((name, f) =>
        {
            var mean = drops[f].Average();
            var variance = drops[f].Sum(d => (d - mean) * (d - mean)) / repeats;
            return new FeatureImportance(name, mean, Math.Sqrt(variance), drops[f]);
        }).OrderByDescending(i => i.Mean)];
    }

    public static int[] Permutation(int rows, Random random)
    {
        var permutation = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            permutation[i] = i;
        }

        random.Shuffle(permutation);
        return permutation;
    }
}
