using Keel.Client.Data;
using Parquet.Serialization;

namespace Keel.Client.Tests.Data;

/// <summary>Profiles of small files whose statistics were computed by hand.</summary>
public sealed class TableProfilerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-profile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Csv(string text)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static ColumnProfile Column(TableProfile profile, string name) => Assert.Single(profile.Columns, c => c.Name == name);

    internal const string KnownCsv =
        "id,score,flag,when,city,note\n" +
        "1,2.5,true,2024-01-01,Oslo,\n" +
        "2,3.5,false,2024-01-03,Bergen,x\n" +
        "3,,true,2024-01-02,Oslo,\"a, b\"\n" +
        "4,6.0,TRUE,2024-01-05,Oslo,\n";

    [Fact]
    public void Csv_WithKnownValues_HasHandComputedStatistics()
    {
        var profile = TableProfiler.ProfileCsv(Csv(KnownCsv), "t.csv");

        Assert.Equal(4, profile.Rows);
        Assert.Equal(["id", "score", "flag", "when", "city", "note"], profile.Columns.Select(c => c.Name));
        Assert.Equal(["integer", "double", "boolean", "datetime", "string", "string"], profile.Columns.Select(c => c.Type));

        var id = Column(profile, "id");
        Assert.Equal((0, 4, true), (id.Nulls, id.Distinct, id.DistinctExact));
        Assert.Equal((1.0, 4.0, 2.5), (id.Min, id.Max, id.Mean));
        Assert.Equal(Math.Sqrt(5.0 / 3), id.Std!.Value, 9);

        // 2.5, 3.5, 6.0: mean 4, squared deviations 2.25 + 0.25 + 4 = 6.5 over n - 1 = 2.
        var score = Column(profile, "score");
        Assert.Equal(1, score.Nulls);
        Assert.Equal((2.5, 6.0, 4.0), (score.Min, score.Max, score.Mean));
        Assert.Equal(Math.Sqrt(3.25), score.Std!.Value, 9);
        Assert.Equal(11, score.Histogram!.Edges.Count);
        Assert.Equal(2.5, score.Histogram.Edges[0]);
        Assert.Equal(6.0, score.Histogram.Edges[10]);
        Assert.Equal([1L, 0, 1, 0, 0, 0, 0, 0, 0, 1], score.Histogram.Counts);

        var flag = Column(profile, "flag");
        Assert.Equal(2, flag.Distinct);
        Assert.Equal([("true", 3L), ("false", 1L)], flag.TopValues.Select(v => (v.Value, v.Count)));

        var when = Column(profile, "when");
        Assert.StartsWith("2024-01-01T00:00:00", when.Earliest, StringComparison.Ordinal);
        Assert.StartsWith("2024-01-05T00:00:00", when.Latest, StringComparison.Ordinal);

        var city = Column(profile, "city");
        Assert.Equal([("Oslo", 3L), ("Bergen", 1L)], city.TopValues.Select(v => (v.Value, v.Count)));
        Assert.Null(city.Histogram);

        var note = Column(profile, "note");
        Assert.Equal((2L, 2L), (note.Nulls, note.Distinct));
        Assert.Contains(note.TopValues, v => v.Value == "a, b");
    }

    [Theory]
    [InlineData("007|-3|+12", "integer")]
    [InlineData("1|1e3|2.5", "double")]
    [InlineData("1.5|3.25", "double")]
    [InlineData("False|true", "boolean")]
    [InlineData("1|0", "integer")]
    [InlineData("2024-01-01T10:00:00Z|2024-02-29", "datetime")]
    [InlineData("2024-13-45|2024-01-01", "string")]
    [InlineData("3/4/2024|1.5", "string")]
    [InlineData("1|NaN", "string")]
    [InlineData("1|abc", "string")]
    [InlineData("|", "string")]
    public void Csv_InfersTheNarrowestTypeEveryValueParsesAs(string values, string expected)
    {
        var text = "c\n" + string.Join("\n", values.Split('|')) + "\n";
        var column = Assert.Single(TableProfiler.ProfileCsv(Csv(text), "t.csv").Columns);

        Assert.Equal(expected, column.Type);
    }

    [Fact]
    public void Csv_EmptyFieldsAreNulls_AndAnAllEmptyColumnIsString()
    {
        var column = TableProfiler.ProfileCsv(Csv("c,d\n,1\n\"\",2\n"), "t.csv").Columns[0];

        Assert.Equal(("string", 2L, 0L), (column.Type, column.Nulls, column.Distinct));
    }

    [Fact]
    public void Csv_BeyondTheExactBound_EstimatesDistinctValues()
    {
        const int n = 50_000;
        var text = "c\n" + string.Join("\n", Enumerable.Range(0, n).Select(i => "v" + i)) + "\n";
        var column = Assert.Single(TableProfiler.ProfileCsv(Csv(text), "t.csv").Columns);

        Assert.False(column.DistinctExact);
        Assert.InRange(column.Distinct, n * 0.9, n * 1.1);
    }

    [Fact]
    public async Task Parquet_UsesDeclaredTypesAndCountsNulls()
    {
        var path = Path.Combine(_dir, "t.parquet");
        await ParquetSerializer.SerializeAsync(
            new[]
            {
                new Row { Id = 1, Value = 2.0, Name = "a", Ok = true, When = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
                new Row { Id = 2, Value = null, Name = "b", Ok = false, When = new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc) },
                new Row { Id = 3, Value = 4.0, Name = null, Ok = true, When = new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc) },
            }, path);

        var profile = await TableProfiler.ProfileAsync(path, "t.parquet", CancellationToken.None);

        Assert.Equal(("parquet", 3L), (profile.Format, profile.Rows));
        Assert.Equal(["integer", "double", "string", "boolean", "datetime"], profile.Columns.Select(c => c.Type));
        var value = Column(profile, "Value");
        Assert.Equal((1L, 2.0, 4.0, 3.0), (value.Nulls, value.Min, value.Max, value.Mean));
        Assert.Equal(1, Column(profile, "Name").Nulls);
        Assert.Equal((1.0, 3.0), (Column(profile, "Id").Min, Column(profile, "Id").Max));
        Assert.StartsWith("2024-01-03", Column(profile, "When").Latest, StringComparison.Ordinal);
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public double? Value { get; set; }

        public string? Name { get; set; }

        public bool Ok { get; set; }

        public DateTime When { get; set; }
    }
}
