namespace Keel.Cli.Demo;

/// <summary>One row of the flights sample, as stored in the CSV.</summary>
/// <param name="Date">Departure date and local wall-clock time.</param>
/// <param name="Delay">Departure delay in minutes; negative when the flight left early.</param>
/// <param name="Distance">Route length in miles.</param>
internal sealed record FlightRecord(DateTime Date, int Delay, int Distance, string Origin, string Destination)
{
    public const int DelayThresholdMinutes = 15;

    // BTS counts a flight as late from 15 minutes on; using the same cut keeps the label familiar.
    public bool IsDelayed => Delay >= DelayThresholdMinutes;
}
