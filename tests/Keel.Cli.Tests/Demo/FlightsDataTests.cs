using System.Security.Cryptography;
using System.Text.Json;
using Keel.Cli.Demo;

namespace Keel.Cli.Tests.Demo;

public class FlightsDataTests
{
    [Theory]
    [InlineData("flights-2001-01.csv", 20_000, 1)]
    [InlineData("flights-2001-06.csv", 5_000, 6)]
    public void Load_CommittedSample_ReadsEveryRowOfItsMonth(string file, int expectedRows, int month)
    {
        var data = FlightsData.Load(Path.Combine(FlightsSample.Folder, file));

        Assert.Equal(expectedRows, data.Rows.Count);
        Assert.All(data.Rows, r =>
        {
            Assert.Equal(new DateTime(2001, month, 1), new DateTime(r.Date.Year, r.Date.Month, 1));
            Assert.Matches("^[A-Z]{3}$", r.Origin);
            Assert.Matches("^[A-Z]{3}$", r.Destination);
            Assert.True(r.Distance > 0);
        });
        Assert.Equal(data.Rows.OrderBy(r => r.Date), data.Rows);
    }

    [Fact]
    public void Describe_TrainingMonth_GivesMlflowColspecAndRowCount()
    {
        var description = FlightsData.Load(FlightsSample.TrainingMonthPath).Describe("flights-2001-01");

        using var schema = JsonDocument.Parse(description.SchemaJson);
        var columns = schema.RootElement.GetProperty("mlflow_colspec").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString(), c.GetProperty("type").GetString()))
            .ToList();
        Assert.Equal(
            [("date", "datetime"), ("delay", "long"), ("distance", "long"), ("origin", "string"), ("destination", "string")],
            columns);
        using var profile = JsonDocument.Parse(description.ProfileJson);
        Assert.Equal(20_000, profile.RootElement.GetProperty("num_rows").GetInt32());
        Assert.Equal(20_000, description.RowCount);
        Assert.Equal("flights-2001-01", description.Name);
        Assert.Equal(FlightsSample.TrainingMonthPath, description.SourcePath);
    }

    [Fact]
    public void Digest_IsSha256OfTheFileAndStableAcrossLoads()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(FlightsSample.TrainingMonthPath)));

        var first = FlightsData.Load(FlightsSample.TrainingMonthPath);
        var second = FlightsData.Load(FlightsSample.TrainingMonthPath);
        var later = FlightsData.Load(FlightsSample.LaterMonthPath);

        Assert.Equal(expected, first.Digest);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(first.Digest, first.Describe("x").Digest);
        Assert.NotEqual(first.Digest, later.Digest);
    }

    [Fact]
    public void Split_SameSeed_GivesSamePartitionOfAllRows()
    {
        var data = FlightsData.Load(FlightsSample.TrainingMonthPath);

        var split = data.Split(0.2, seed: 7);
        var again = data.Split(0.2, seed: 7);
        var other = data.Split(0.2, seed: 8);

        Assert.Equal(16_000, split.Training.Count);
        Assert.Equal(4_000, split.Validation.Count);
        Assert.Equal(split.Validation, again.Validation);
        Assert.NotEqual(split.Validation, other.Validation);
        Assert.Equal(
            data.Rows.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count()),
            split.Training.Concat(split.Validation).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count()));
    }

    [Fact]
    public void Load_FileWithOtherColumns_ThrowsNamingTheExpectedHeader()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "date,delay,origin\n2001-01-01 00:01,3,LAS\n");

            var error = Assert.Throws<InvalidDataException>(() => FlightsData.Load(path));

            Assert.Contains(FlightsData.Header, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
