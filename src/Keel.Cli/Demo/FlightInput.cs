using System.Globalization;

namespace Keel.Cli.Demo;

/// <summary>
/// The model's input row. Hour and day of week are derived here rather than inside the
/// ML.NET pipeline: a custom mapping in the pipeline would have to be registered by every
/// process that loads the saved model.
/// </summary>
internal sealed class FlightInput
{
    public float Hour { get; set; }

    public float DayOfWeek { get; set; }

    public float Distance { get; set; }

    public string Origin { get; set; } = "";

    public string Destination { get; set; } = "";

    public bool Label { get; set; }

    /// <summary>The CSV header of <see cref="CsvRow"/>: the model signature's columns.</summary>
    public const string CsvHeader = "Hour,DayOfWeek,Distance,Origin,Destination,Label";

    public string CsvRow() => string.Create(CultureInfo.InvariantCulture,
        $"{Hour},{DayOfWeek},{Distance},{Origin},{Destination},{(Label ? "true" : "false")}");

    public static FlightInput From(FlightRecord flight) => new()
    {
        Hour = flight.Date.Hour,
        DayOfWeek = (float)flight.Date.DayOfWeek,
        Distance = flight.Distance,
        Origin = flight.Origin,
        Destination = flight.Destination,
        Label = flight.IsDelayed,
    };
}
