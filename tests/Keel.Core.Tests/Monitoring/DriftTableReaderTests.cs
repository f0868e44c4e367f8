using Keel.Core.Monitoring;

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
}
