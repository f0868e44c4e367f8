using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Keel.Core.Evaluation;

/// <summary>McNemar's test on the discordant pairs of two classifiers scored on the same rows.</summary>
internal readonly record struct McNemarResult(double Statistic, double PValue, bool Exact, long OnlyCandidateCorrect, long OnlyBaselineCorrect);

/// <summary>
/// statsmodels' <c>mcnemar(table, exact=...)</c>: exact (binomial, statistic = min(b, c), two-sided p = 2·P(X ≤ min),
/// capped at 1) when there are fewer than 25 discordant pairs, otherwise chi-square with continuity correction
/// ((|b − c| − 1)² / (b + c), 1 degree of freedom).
/// </summary>
internal static class McNemar
{
    public const long ExactBelow = 25;

    public static McNemarResult Test(long onlyCandidateCorrect, long onlyBaselineCorrect)
    {
        var b = onlyCandidateCorrect;
        var c = onlyBaselineCorrect;
        var discordant = b + c;
        if (discordant < ExactBelow)
        {
            var low = Math.Min(b, c);
            var p = discordant == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, (int)discordant, low));
            return new McNemarResult(low, p, true, b, c);
        }

        var statistic = Math.Pow(Math.Abs(b - c) - 1.0, 2) / discordant;
        return new McNemarResult(statistic, SpecialFunctions.Erfc(Math.Sqrt(statistic / 2)), false, b, c);
    }
}
