namespace Keel.Core.Evaluation;

/// <summary>A feature's permutation importance: the mean and standard deviation (ddof 0) of the score drop over the repeats.</summary>
internal sealed record FeatureImportance(string Feature, double Mean, double Std, double[] Drops);

/// <summary>
/// scikit-learn's <c>permutation_importance</c>: for each feature and repeat, shuffle that feature's column, score the
/// model again, and record baseline − score. With more rows than <c>maxSamples</c>, each repeat draws that many rows
/// without replacement and shuffles within them (sklearn's <c>max_samples</c>); the baseline stays the score on all
/// rows, as in sklearn. Each (feature, repeat) has its own seeded generator, so results do not depend on threading.
/// </summary>
internal static class PermutationImportance
{
    /// <summary>Scores the model on the sample rows (null: all) with one feature's values taken from the rows in <c>source</c> instead.</summary>
    internal delegate double Score(int feature, int[]? sample, int[] source);

    public static FeatureImportance[] Compute(IReadOnlyList<string> features, int rows, int repeats, int seed, double baseline, Score score,
        int maxSamples = int.MaxValue, int parallelism = -1)
    {
        var drops = new double[features.Count][];
        for (var f = 0; f < features.Count; f++)
        {
            drops[f] = new double[repeats];
        }

        var work = Enumerable.Range(0, features.Count).SelectMany(f => Enumerable.Range(0, repeats).Select(r => (f, r))).ToArray();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, item =>
        {
            var random = new Random(HashCode.Combine(seed, item.f, item.r));
            int[]? sample = null;
            int[] source;
            if (rows > maxSamples)
            {
                sample = Permutation(rows, random)[..maxSamples];
                Array.Sort(sample);
                source = (int[])sample.Clone();
                random.Shuffle(source);
            }
            else
            {
                source = Permutation(rows, random);
            }

            drops[item.f][item.r] = baseline - score(item.f, sample, source);
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
