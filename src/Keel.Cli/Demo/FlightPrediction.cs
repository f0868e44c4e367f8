namespace Keel.Cli.Demo;

/// <summary>What the saved delay model adds to a <see cref="FlightInput"/>.</summary>
internal sealed class FlightPrediction
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}
