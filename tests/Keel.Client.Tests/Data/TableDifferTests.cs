using Keel.Client.Data;

namespace Keel.Client.Tests.Data;

/// <summary>PSI and rebinning on numbers worked out by hand.</summary>
public sealed class TableDifferTests
{
    [Fact]
    public void Psi_OfEqualDistributions_IsZero_AndOfAKnownShift_MatchesTheFormula()
    {
        Assert.Equal(0, TableDiffer.Psi([10, 30, 60], [1, 3, 6]), 12);

        // (0.5 - 0.2) ln(0.5 / 0.2) + (0.5 - 0.8) ln(0.5 / 0.8)
        var expected = (0.3 * Math.Log(2.5)) + (-0.3 * Math.Log(0.625));
        Assert.Equal(expected, TableDiffer.Psi([2, 8], [5, 5]), 12);
    }

    [Fact]
    public void Rebin_SpreadsCountsByOverlap_AndSendsValuesOutsideTheRangeToTheEdgeBins()
    {
        var histogram = new Histogram { Edges = [0, 2, 4], Counts = [4, 8] };

        // Reference bins [1, 2) and [2, 3]: [0, 2) is half below 1 (first bin) and half inside; [2, 4] half inside the last bin, half above it.
        Assert.Equal([4.0, 8.0], TableDiffer.Rebin(histogram, [1, 2, 3]));
        Assert.Equal([2.0, 10.0], TableDiffer.Rebin(histogram, [0, 1, 4]));
    }

    [Theory]
    [InlineData(0.05, "stable")]
    [InlineData(0.1, "moderate")]
    [InlineData(0.2499, "moderate")]
    [InlineData(0.25, "major")]
    public void Level_UsesTheUsualThresholds(double psi, string level) => Assert.Equal(level, TableDiffer.Level(psi));
}
