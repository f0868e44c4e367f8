namespace Keel.Cli.Demo;

internal sealed record FlightSplit(IReadOnlyList<FlightRecord> Training, IReadOnlyList<FlightRecord> Validation);
