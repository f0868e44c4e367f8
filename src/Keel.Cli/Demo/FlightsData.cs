using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Cli.Demo;

/// <summary>A flights CSV loaded into memory, with what a run needs to log it as a dataset input.</summary>
internal sealed class FlightsData
{
    public const string Header = "date,delay,distance,origin,destination";
    public const string DateFormat = "yyyy-MM-dd HH:mm";

    // MLflow type names (mlflow.types.DataType) of the file's columns, in file order.
    static readonly (string Name, string Type)[] Columns =
    [
        ("date", "datetime"),
        ("delay", "long"),
        ("distance", "long"),
        ("origin", "string"),
        ("destination", "string"),
    ];

    FlightsData(string path, string digest, IReadOnlyList<FlightRecord> rows)
    {
        SourcePath = path;
        Digest = digest;
        Rows = rows;
    }

    public string SourcePath { get; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string Digest { get; }

    public IReadOnlyList<FlightRecord> Rows { get; }

    public static FlightsData Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        using var reader = new StreamReader(new MemoryStream(bytes));
        var header = reader.ReadLine();
        if (header != Header)
        {
            throw new InvalidDataException($"{path}: expected the header '{Header}', found '{header}'.");
        }

        var rows = new List<FlightRecord>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length > 0)
            {
                rows.Add(Parse(line, path, lineNumber));
            }
        }

        return new FlightsData(path, digest, rows);
    }

    /// <summary>
    /// Shuffles row indices with a seeded generator, so the same file and seed always give
    /// the same split on any machine.
    /// </summary>
    public FlightSplit Split(double validationFraction = 0.2, int seed = 42)
    {
        if (validationFraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Must be between 0 and 1.");
        }

        var order = Enumerable.Range(0, Rows.Count).ToArray();
        new Random(seed).Shuffle(order);
        var validationCount = (int)Math.Round(Rows.Count * validationFraction);
        var validation = order.Take(validationCount).Order().Select(i => Rows[i]).ToList();
        var training = order.Skip(validationCount).Order().Select(i => Rows[i]).ToList();
        return new FlightSplit(training, validation);
    }

    public DatasetDescription Describe(string name)
    {
        var colspec = new JsonArray(Columns
            .Select(c => (JsonNode)new JsonObject { ["type"] = c.Type, ["name"] = c.Name, ["required"] = true })
            .ToArray());
        var schema = new JsonObject { ["mlflow_colspec"] = colspec }.ToJsonString();
        var profile = JsonSerializer.Serialize(new Dictionary<string, int> { ["num_rows"] = Rows.Count });
        return new DatasetDescription(name, SourcePath, Digest, schema, profile, Rows.Count);
    }

    /// <summary>Writes rows in the file format <see cref="Load"/> reads, so a derived batch profiles like the original.</summary>
    public static void Write(string path, IEnumerable<FlightRecord> rows)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine(Header);
        foreach (var r in rows)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Date.ToString(DateFormat, CultureInfo.InvariantCulture)},{r.Delay},{r.Distance},{r.Origin},{r.Destination}"));
        }
    }

    static FlightRecord Parse(string line, string path, int lineNumber)
    {
        var fields = line.Split(',');
        if (fields.Length != Columns.Length
            || !DateTime.TryParseExact(fields[0], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !int.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var delay)
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var distance))
        {
            throw new InvalidDataException($"{path}:{lineNumber}: cannot read '{line}' as {Header}.");
        }

        return new FlightRecord(date, delay, distance, fields[3], fields[4]);
    }
}
