#:package Parquet.Net
// Derives the committed flight samples from vega-datasets' flights-3m.parquet.
// Usage: dotnet run derive-sample.cs -- <flights-3m.parquet> <output folder>
using System.Globalization;
using Parquet;

const int Seed = 42;
(string Month, int Rows, string File)[] samples =
[
    ("2001-01", 20_000, "flights-2001-01.csv"),
    ("2001-06", 5_000, "flights-2001-06.csv"),
];

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run derive-sample.cs -- <flights-3m.parquet> <output folder>");
    return 2;
}

var rows = await ReadAllAsync(args[0]);
foreach (var (month, count, file) in samples)
{
    var inMonth = rows.Where(r => r.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture) == month).ToList();
    var picked = Sample(inMonth.Count, count, Seed).Select(i => inMonth[i]);
    var path = Path.Combine(args[1], file);
    await using var writer = new StreamWriter(path) { NewLine = "\n" };
    await writer.WriteLineAsync("date,delay,distance,origin,destination");
    foreach (var r in picked)
    {
        await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{r.Date:yyyy-MM-dd HH:mm},{r.Delay},{r.Distance},{r.Origin},{r.Destination}"));
    }

    Console.WriteLine($"{path}: {count} of {inMonth.Count} rows from {month}");
}

return 0;

// Partial Fisher-Yates over row indices; the picked indices are sorted again so the
// sample keeps the source's chronological order.
static IEnumerable<int> Sample(int population, int count, int seed)
{
    var random = new Random(seed);
    var indices = Enumerable.Range(0, population).ToArray();
    for (var i = 0; i < count; i++)
    {
        var j = random.Next(i, population);
        (indices[i], indices[j]) = (indices[j], indices[i]);
    }

    return indices.Take(count).Order();
}

// The parquet timestamps carry no time zone (local departure time); Parquet.Net hands them
// back unchanged whatever the machine's zone, so formatting the wall-clock value is stable.
static async Task<List<Flight>> ReadAllAsync(string path)
{
    await using var reader = await ParquetReader.CreateAsync(path);
    var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
    var rows = new List<Flight>();
    for (var g = 0; g < reader.RowGroupCount; g++)
    {
        using var group = reader.OpenRowGroupReader(g);
        var n = checked((int)group.RowCount);
        var date = new DateTime?[n];
        var delay = new long?[n];
        var distance = new long?[n];
        var origin = new string?[n];
        var destination = new string?[n];
        await group.ReadAsync(fields["date"], date.AsMemory());
        await group.ReadAsync(fields["delay"], delay.AsMemory());
        await group.ReadAsync(fields["distance"], distance.AsMemory());
        await group.ReadAsync(fields["origin"], origin.AsMemory());
        await group.ReadAsync(fields["destination"], destination.AsMemory());
        for (var i = 0; i < n; i++)
        {
            rows.Add(new Flight(date[i]!.Value, delay[i]!.Value, distance[i]!.Value, origin[i]!, destination[i]!));
        }
    }

    return rows;
}

internal sealed record Flight(DateTime Date, long Delay, long Distance, string Origin, string Destination);
