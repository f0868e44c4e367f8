using Keel.Core.Monitoring;

namespace Keel.Core.Tests.Monitoring;

public sealed class SortingTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(200_000)]
    public void Sort_OrdersLikeArraySort_AcrossSignsMagnitudesAndTies(int length)
    {
        var random = new Random(7);
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (i % 5) switch
            {
                0 => random.NextDouble() - 0.5,
                1 => (random.NextDouble() - 0.5) * 1e300,
                2 => random.Next(-3, 3),
                3 => -random.NextDouble() * 1e-300,
                _ => double.NegativeInfinity,
            };
        }

        var expected = (double[])values.Clone();
        Array.Sort(expected);

        Sorting.Sort(values);

        Assert.Equal(expected, values);
    }
}
