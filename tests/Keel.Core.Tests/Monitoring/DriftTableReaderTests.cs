using Keel.Core.Monitoring;
using Parquet.Serialization;

namespace Keel.Core.Tests.Monitoring;

public sealed class DriftTableReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-drift-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadCsv_HandlesQuotesCommasLineBreaksCrLfAndBlankLines()
    {
        var path = Path.Combine(_dir, "t.csv");
        await File.WriteAllTextAsync(path, "name,value\r\n\"x, y\",1\r\n\"line1\nline2\",2.5\r\n\r\n\"he said \"\"hi\"\"\",\n");

        var table = await DriftTableReader.ReadAsync(path, CancellationToken.None);

        Assert.Equal(3, table.Rows);
        var name = table.Column("name")!;
        Assert.Equal(["x, y", "line1\nline2", "he said \"hi\""], Enumerable.Range(0, name.Length).Select(name.Text));
        Assert.Equal([1.0, 2.5, double.NaN], table.Column("value")!.Numbers);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "record 3 has 1 fields")]
    [InlineData("a,a\n1,2\n", "names column 'a' twice")]
    [InlineData("", "empty")]
    public async Task ReadCsv_RefusesMalformedFilesWithTheReason(string content, string reason)
    {
        var path = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(path, content);

        var error = await Assert.ThrowsAsync<FormatException>(() => DriftTableReader.ReadAsync(path, CancellationToken.None));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadParquet_ReturnsEveryValueOfRequiredAndOptionalColumns_UnderConcurrentReads()
    {
        var random = new Random(7);
        var rows = Enumerable.Range(0, 20_000).Select(i => new Row
        {
            Maybe = i % 10 == 0 ? null : random.NextDouble(),
            Count = random.Next(),
            Amount = random.NextDouble(),
            Ratio = (float)random.NextDouble(),
        }).ToList();
        var path = Path.Combine(_dir, "t.parquet");
        await using (var stream = File.Create(path))
        {
            await ParquetSerializer.SerializeAsync(rows, stream);
        }

        // Parquet.Net 6.1 left entries of required columns null when they were read into nullable buffers, seen only
        // with several reads at once (as in a test run or a busy server): read the file many times in parallel.
        var tables = new DriftTable[32];
        await Parallel.ForAsync(0, tables.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => tables[i] = await DriftTableReader.ReadAsync(path, ct));

        Assert.All(tables, table =>
        {
            Assert.Equal(rows.Select(r => (double)r.Count), table.Column("Count")!.Numbers);
            Assert.Equal(rows.Select(r => r.Amount), table.Column("Amount")!.Numbers);
            Assert.Equal(rows.Select(r => (double)r.Ratio), table.Column("Ratio")!.Numbers);
            Assert.Equal(rows.Select(r => r.Maybe ?? double.NaN), table.Column("Maybe")!.Numbers);
        });
    }

    public sealed class Row
    {
        public double? Maybe { get; set; }

        public int Count { get; set; }

        public double Amount { get; set; }

        public float Ratio { get; set; }
    }
}
