using Keel.Core.Tracking;

namespace Keel.Core.Tests.Tracking;

public class LttbTests
{
    [Theory]
    [InlineData(100_000, 500)]
    [InlineData(1001, 1000)]
    [InlineData(10, 3)]
    [InlineData(50, 2)]
    public void Downsample_LongSeries_ReturnsAtMostNPointsWithFirstAndLastKept(int length, int points)
    {
        var x = Enumerable.Range(0, length).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Sin(v / 50) * 10 + (v * 0.001)).ToArray();

        var (xs, ys) = Lttb.Downsample(x, y, points);

        Assert.True(xs.Length <= points, $"{xs.Length} points for a limit of {points}");
        Assert.Equal(xs.Length, ys.Length);
        Assert.Equal((x[0], y[0]), (xs[0], ys[0]));
        Assert.Equal((x[^1], y[^1]), (xs[^1], ys[^1]));
    }

    [Fact]
    public void Downsample_KeepsXAscendingAndPointsFromTheSeries()
    {
        var x = Enumerable.Range(0, 5000).Select(i => i * 2.0).ToArray();
        var y = x.Select(v => Math.Cos(v / 100)).ToArray();

        var (xs, ys) = Lttb.Downsample(x, y, 200);

        for (var i = 1; i < xs.Length; i++)
        {
            Assert.True(xs[i] > xs[i - 1]);
        }

        for (var i = 0; i < xs.Length; i++)
        {
            var source = Array.IndexOf(x, xs[i]);
            Assert.Equal(y[source], ys[i]);
        }
    }

    [Fact]
    public void Downsample_FlatSeriesWithSpikes_KeepsBothExtremes()
    {
        var x = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var y = new double[x.Length];
        y[31_337] = 1000;
        y[77_777] = -500;

        var (xs, ys) = Lttb.Downsample(x, y, 100);

        Assert.Contains(1000, ys);
        Assert.Contains(-500, ys);
        Assert.Equal(31_337, xs[Array.IndexOf(ys, 1000)]);
        Assert.Equal(77_777, xs[Array.IndexOf(ys, -500)]);
    }

    [Fact]
    public void Downsample_ShortSeries_ReturnsItUnchanged()
    {
        double[] x = [1, 2, 3];
        double[] y = [5, -1, 7];

        var (xs, ys) = Lttb.Downsample(x, y, 10);

        Assert.Equal(x, xs);
        Assert.Equal(y, ys);
    }

    [Fact]
    public void Downsample_FewerThanTwoPoints_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Lttb.Downsample([1, 2, 3], [1, 2, 3], 1));
    }
}
