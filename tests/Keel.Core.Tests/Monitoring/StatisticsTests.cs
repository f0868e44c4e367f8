using Keel.Core.Monitoring.Statistics;

namespace Keel.Core.Tests.Monitoring;

public sealed class StatisticsTests
{
    private const double Tolerance = 1e-6;

    public static IEnumerable<object[]> KsCases => ScipyVectors.Cases("ks_2samp");
    public static IEnumerable<object[]> KolmogorovCases => ScipyVectors.Cases("kstwo_sf");
    public static IEnumerable<object[]> ChiSquareCases => ScipyVectors.Cases("chi2_contingency");
    public static IEnumerable<object[]> JensenShannonCases => ScipyVectors.Cases("jensenshannon");
    public static IEnumerable<object[]> WassersteinCases => ScipyVectors.Cases("wasserstein");
    public static IEnumerable<object[]> PsiCases => ScipyVectors.Cases("psi");

    [Theory]
    [MemberData(nameof(KsCases))]
    public void KolmogorovSmirnov_MatchesScipyKs2samp(int index)
    {
        var c = ScipyVectors.Case("ks_2samp", index);
        var result = KolmogorovSmirnov.Test(ScipyVectors.Sorted(c.GetProperty("a").GetString()!), ScipyVectors.Sorted(c.GetProperty("b").GetString()!));

        Assert.Equal(c.GetProperty("statistic").GetDouble(), result.Statistic, Tolerance);
        Assert.Equal(c.GetProperty("pvalue").GetDouble(), result.PValue, Tolerance);
    }

    [Theory]
    [MemberData(nameof(KolmogorovCases))]
    public void KolmogorovDistribution_MatchesScipyKstwoSf(int index)
    {
        var c = ScipyVectors.Case("kstwo_sf", index);

        Assert.Equal(c.GetProperty("sf").GetDouble(), KolmogorovDistribution.Survival(c.GetProperty("n").GetInt64(), c.GetProperty("x").GetDouble()), Tolerance);
    }

    [Fact]
    public void KolmogorovSmirnov_ChoosesExactUpTo10000ValuesAndAsymptoticBeyond()
    {
        Assert.Equal("exact", KolmogorovSmirnov.Test(ScipyVectors.Sorted("n1000"), ScipyVectors.Sorted("n10000")).Method);
        Assert.Equal("asymptotic", KolmogorovSmirnov.Test(ScipyVectors.Sorted("n12000"), ScipyVectors.Sorted("n150")).Method);
    }

    [Theory]
    [MemberData(nameof(ChiSquareCases))]
    public void ChiSquare_MatchesScipyChi2ContingencyWithoutCorrection(int index)
    {
        var c = ScipyVectors.Case("chi2_contingency", index);
        var result = ChiSquare.Homogeneity(ScipyVectors.Longs(c.GetProperty("reference")), ScipyVectors.Longs(c.GetProperty("current")));

        Assert.Equal(c.GetProperty("statistic").GetDouble(), result.Statistic, Tolerance);
        Assert.Equal(c.GetProperty("pvalue").GetDouble(), result.PValue, Tolerance);
        Assert.Equal(c.GetProperty("dof").GetInt32(), result.DegreesOfFreedom);
    }

    [Fact]
    public void ChiSquare_WithTwoCategories_IsTheSquaredTwoProportionZ()
    {
        long[] reference = [30, 70], current = [45, 55];
        double p1 = 0.3, p2 = 0.45, pooled = 75 / 200.0;
        var z = (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * (1 / 100.0 + 1 / 100.0));

        Assert.Equal(z * z, ChiSquare.Homogeneity(reference, current).Statistic, 1e-9);
    }

    [Theory]
    [MemberData(nameof(JensenShannonCases))]
    public void JensenShannon_MatchesScipyWithNaturalLog(int index)
    {
        var c = ScipyVectors.Case("jensenshannon", index);

        Assert.Equal(c.GetProperty("distance").GetDouble(),
            JensenShannon.Distance(ScipyVectors.Longs(c.GetProperty("p")), ScipyVectors.Longs(c.GetProperty("q"))), Tolerance);
    }

    [Theory]
    [MemberData(nameof(WassersteinCases))]
    public void Wasserstein_MatchesScipyAndNormalisesByReferenceStd(int index)
    {
        var c = ScipyVectors.Case("wasserstein", index);
        var a = ScipyVectors.Sorted(c.GetProperty("a").GetString()!);
        var b = ScipyVectors.Sorted(c.GetProperty("b").GetString()!);
        var mean = a.Average();
        var std = Math.Sqrt(a.Sum(x => (x - mean) * (x - mean)) / a.Length);

        Assert.Equal(c.GetProperty("distance").GetDouble(), Wasserstein.Distance(a, b), Tolerance);
        Assert.Equal(c.GetProperty("normalised").GetDouble(), Wasserstein.Normalised(a, b, std), Tolerance);
    }

    [Theory]
    [MemberData(nameof(PsiCases))]
    public void PopulationStability_MatchesTheDocumentedNumpyBucketing(int index)
    {
        var c = ScipyVectors.Case("psi", index);

        Assert.Equal(c.GetProperty("psi").GetDouble(),
            PopulationStability.Index(ScipyVectors.Sorted(c.GetProperty("a").GetString()!), ScipyVectors.Sorted(c.GetProperty("b").GetString()!)), Tolerance);
    }

    [Fact]
    public void Statistics_OnAnEmptySample_Refuse()
    {
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.Test([], [1.0]));
        Assert.Throws<ArgumentException>(() => ChiSquare.Homogeneity([3], [0]));
        Assert.Throws<ArgumentException>(() => JensenShannon.Distance([0, 0], [1, 2]));
        Assert.Throws<ArgumentException>(() => Wasserstein.Distance([1.0], []));
    }
}
