namespace Keel.Cli.Demo;

/// <summary>The committed samples from examples/flights, copied next to the keel binary at build time.</summary>
internal static class FlightsSample
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "demo-data");

    /// <summary>20,000 flights from January 2001: the data the demo trains on.</summary>
    public static string TrainingMonthPath => Path.Combine(Folder, "flights-2001-01.csv");

    /// <summary>5,000 flights from June 2001: a later batch whose distribution has drifted naturally.</summary>
    public static string LaterMonthPath => Path.Combine(Folder, "flights-2001-06.csv");
}
