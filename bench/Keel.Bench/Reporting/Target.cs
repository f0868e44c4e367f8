namespace Keel.Bench.Reporting;

/// <summary>A goal from the issue and, where one was taken, the MLflow 2.10.2 number it is compared with.</summary>
internal sealed record Target(string Name, string Unit, bool HigherIsBetter, double Goal, double? Baseline)
{
    public GoalResult Check(double measured)
    {
        var met = HigherIsBetter ? measured >= Goal : measured <= Goal;
        double? vsBaseline = Baseline is { } b ? (HigherIsBetter ? measured / b : b / measured) : null;
        return new GoalResult(Name, Unit, $"{(HigherIsBetter ? ">=" : "<=")} {Goal:#,0.##} {Unit}", Goal, measured, met, Baseline, vsBaseline);
    }
}

/// <param name="TimesBetterThanBaseline">How many times better than MLflow (throughput ratio, or latency ratio inverted).</param>
internal sealed record GoalResult(
    string Name, string Unit, string Goal, double Target, double Measured, bool Met, double? Baseline, double? TimesBetterThanBaseline);
