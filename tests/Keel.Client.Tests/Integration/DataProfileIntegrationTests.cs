using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Keel.Client.Tests.Data;
using Keel.Testing;
using Parquet.Serialization;

namespace Keel.Client.Tests.Integration;

/// <summary>Table profiles computed at add time, stored with the version and read back through a real server.</summary>
public abstract class DataProfileIntegrationTests(KeelServerFixture server) : IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-profile-it-").FullName;

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_local, recursive: true);
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Add_WithCsvParquetAndOtherFiles_StoresAProfilePerTable()
    {
        var source = Path.Combine(_local, "source");
        Directory.CreateDirectory(Path.Combine(source, "tables"));
        await File.WriteAllTextAsync(Path.Combine(source, "tables", "known.csv"), TableProfilerTests.KnownCsv);
        await ParquetSerializer.SerializeAsync(new[] { new Row { X = 1 }, new Row { X = 5 } }, Path.Combine(source, "tables", "x.parquet"));
        await File.WriteAllTextAsync(Path.Combine(source, "README.md"), "# not a table\n");
        var name = UniqueName("profiled");

        await _client.Data.AddAsync(source, name);
        var profiles = await _client.Data.GetProfilesAsync($"{name}@1");

        Assert.Equal(["tables/known.csv", "tables/x.parquet"], profiles.Select(p => p.Path));
        var csv = profiles[0];
        Assert.Equal(4, csv.Rows);
        var score = Assert.Single(csv.Columns, c => c.Name == "score");
        Assert.Equal(("double", 1L, 4.0), (score.Type, score.Nulls, score.Mean));
        Assert.Equal(Math.Sqrt(3.25), score.Std!.Value, 9);
        Assert.Equal([1L, 0, 1, 0, 0, 0, 0, 0, 0, 1], score.Histogram!.Counts);
        Assert.Equal([("Oslo", 3L), ("Bergen", 1L)], Assert.Single(csv.Columns, c => c.Name == "city").TopValues.Select(v => (v.Value, v.Count)));
        var x = Assert.Single(profiles[1].Columns);
        Assert.Equal(("integer", 1.0, 5.0), (x.Type, x.Min, x.Max));
    }

    [Fact]
    public async Task Profiles_OfAVersionWithoutTables_AreEmpty_AndOfAMissingVersion_NotFound()
    {
        var file = Path.Combine(_local, "blob.bin");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);
        var name = UniqueName("plain");
        await _client.Data.AddAsync(file, name);

        Assert.Empty(await _client.Data.GetProfilesAsync(name));
        var missing = await Assert.ThrowsAsync<KeelApiException>(() => _client.Data.GetProfilesAsync($"{name}@9"));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
    }

    [Fact]
    public async Task Commit_WithAProfileForAFileNotInTheVersion_IsRefusedAndNothingIsStored()
    {
        var chunk = "a,b\n1,2\n"u8.ToArray();
        var id = Convert.ToHexStringLower(SHA256.HashData(chunk));
        (await server.Http.PutAsync($"/api/keel/v1/data/chunks/{id}", new ByteArrayContent(chunk))).EnsureSuccessStatusCode();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(id)));
        var manifest = new { format = 1, files = new[] { new { path = "t.csv", size = chunk.Length, digest, chunks = new[] { new { id, size = chunk.Length } } } } };
        var name = UniqueName("bad-profile");

        using var response = await server.Http.PostAsJsonAsync($"/api/keel/v1/data/datasets/{name}/versions",
            new { manifest, profiles = new[] { new { path = "other.csv", rows = 1 } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("other.csv", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<KeelApiException>(() => _client.Data.ListVersionsAsync(name));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
    }

    [Fact]
    public async Task Diff_OfAChangedTable_ReportsSchemaRowsAndDistributionShift()
    {
        var file = Path.Combine(_local, "t.csv");
        var random = new Random(7);
        string Rows(int n, int shift, bool withExtra, bool codeAsText) => string.Join("", Enumerable.Range(0, n).Select(i =>
            $"{random.Next(0, 100) + shift},{random.Next(0, 100)},{(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue")},{(codeAsText ? "c" : "")}{i % 5}" +
            (withExtra ? $",{i}" : "") + "\n"));
        await File.WriteAllTextAsync(file, "shifted,steady,color,code\n" + Rows(2000, 0, false, false));
        var name = UniqueName("drift");
        await _client.Data.AddAsync(file, name);
        await File.WriteAllTextAsync(file, "shifted,steady,color,code,extra\n" + Rows(2400, 50, true, true));
        await _client.Data.AddAsync(file, name);

        var diff = await _client.Data.DiffAsync($"{name}@1", $"{name}@2");

        var table = Assert.Single(diff.Tables);
        Assert.Equal(("t.csv", 2000L, 2400L), (table.Path, table.OldRows, table.NewRows));
        Assert.Equal(["extra"], table.AddedColumns);
        Assert.Empty(table.RemovedColumns);
        var code = Assert.Single(table.TypeChanges);
        Assert.Equal(("code", "integer", "string"), (code.Column, code.OldType, code.NewType));
        var shifts = table.Shifts.ToDictionary(s => s.Column);
        Assert.Equal(["shifted", "steady", "color"], shifts.Keys);
        Assert.True(shifts["shifted"].Psi > 0.25, $"PSI {shifts["shifted"].Psi}");
        Assert.Equal("major", shifts["shifted"].Level);
        Assert.True(shifts["steady"].Psi < 0.1, $"PSI {shifts["steady"].Psi}");
        Assert.Equal("stable", shifts["steady"].Level);
        Assert.True(shifts["color"].Psi < 0.1, $"PSI {shifts["color"].Psi}");
    }

    [Fact]
    public async Task Lineage_ListsTheRunsThatUsedAVersion_AndTheModelVersionsRegisteredFromThem()
    {
        var file = Path.Combine(_local, "v.txt");
        var name = UniqueName("lineage");
        await File.WriteAllTextAsync(file, "one");
        await _client.Data.AddAsync(file, name);
        await File.WriteAllTextAsync(file, "two");
        await _client.Data.AddAsync(file, name);
        var experimentId = await _client.CreateExperimentAsync(UniqueName("lineage-exp"));
        var trainer = (await _client.CreateRunAsync(experimentId, "trainer")).Info;
        var other = (await _client.CreateRunAsync(experimentId, "other")).Info;
        await _client.Data.LogInputAsync(trainer.RunId, $"{name}@1", "training");
        await _client.Data.LogInputAsync(other.RunId, $"{name}@2", "training");
        var model = UniqueName("lineage-model");
        await _client.CreateRegisteredModelAsync(model);
        await _client.CreateModelVersionAsync(model, trainer.ArtifactUri + "/model", trainer.RunId);
        await _client.CreateModelVersionAsync(model, other.ArtifactUri + "/model", other.RunId);

        var lineage = await _client.Data.GetLineageAsync($"{name}@1");

        Assert.Equal($"data:/{name}@1", lineage.Uri);
        var run = Assert.Single(lineage.Runs);
        Assert.Equal((trainer.RunId, "trainer", experimentId), (run.RunId, run.RunName, run.ExperimentId));
        var version = Assert.Single(lineage.ModelVersions);
        Assert.Equal((model, "1", trainer.RunId), (version.Name, version.Version, version.RunId));
    }

    [Fact]
    public async Task ModelLineage_ListsTheDataVersionsItsRunLogged_WithTheirDigests()
    {
        var file = Path.Combine(_local, "v.txt");
        var name = UniqueName("traced");
        await File.WriteAllTextAsync(file, "one");
        var first = (await _client.Data.AddAsync(file, name)).Version;
        await File.WriteAllTextAsync(file, "two");
        var second = (await _client.Data.AddAsync(file, name)).Version;
        var experimentId = await _client.CreateExperimentAsync(UniqueName("traced-exp"));
        var run = (await _client.CreateRunAsync(experimentId, "trainer")).Info;
        await _client.Data.LogInputAsync(run.RunId, $"{name}@2", "training");
        await _client.Data.LogInputAsync(run.RunId, $"{name}@1", "evaluation");
        await _client.LogInputsAsync(run.RunId,
            [new DatasetInput { Dataset = new Dataset { Name = "outside", Digest = "abc", SourceType = "local", Source = "{\"uri\":\"x.csv\"}" } }]);
        var model = UniqueName("traced-model");
        await _client.CreateRegisteredModelAsync(model);
        await _client.CreateModelVersionAsync(model, run.ArtifactUri + "/model", run.RunId);

        var lineage = await _client.GetModelVersionLineageAsync(model, 1);

        Assert.Equal(
            [($"data:/{name}@2", name, 2L, second.Digest, "training"), ($"data:/{name}@1", name, 1L, first.Digest, "evaluation")],
            lineage.DataVersions.Select(d => (d.Uri, d.Name, d.Version, d.Digest, d.Context)));
        Assert.Equal(64, lineage.DataVersions[0].Digest.Length);
        Assert.Equal(3, lineage.Run!.Datasets.Count);
    }

    [Fact]
    public async Task ModelLineage_OfARunWithoutKeelData_HasNoDataVersions()
    {
        var experimentId = await _client.CreateExperimentAsync(UniqueName("untraced-exp"));
        var run = (await _client.CreateRunAsync(experimentId, "trainer")).Info;
        await _client.LogInputsAsync(run.RunId,
            [new DatasetInput { Dataset = new Dataset { Name = "fake", Digest = "abc", SourceType = "keel", Source = "data:/no-such-dataset@1" } }]);
        var model = UniqueName("untraced-model");
        await _client.CreateRegisteredModelAsync(model);
        await _client.CreateModelVersionAsync(model, run.ArtifactUri + "/model", run.RunId);

        var lineage = await _client.GetModelVersionLineageAsync(model, 1);

        Assert.Empty(lineage.DataVersions);
        Assert.Single(lineage.Run!.Datasets);
    }

    [Fact]
    public async Task Lineage_OfAnUnusedVersion_IsEmpty_AndOfAMissingOne_NotFound()
    {
        var file = Path.Combine(_local, "v.txt");
        var name = UniqueName("unused");
        await File.WriteAllTextAsync(file, "one");
        await _client.Data.AddAsync(file, name);

        var lineage = await _client.Data.GetLineageAsync(name);

        Assert.Empty(lineage.Runs);
        Assert.Empty(lineage.ModelVersions);
        var missing = await Assert.ThrowsAsync<KeelApiException>(() => _client.Data.GetLineageAsync($"{name}@3"));
        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, missing.ErrorCode);
    }

    private sealed class Row
    {
        public long X { get; set; }
    }
}

public sealed class DataProfileIntegrationTestsOnSqlite(KeelServerFixture server) : DataProfileIntegrationTests(server), IClassFixture<KeelServerFixture>;

public sealed class DataProfileIntegrationTestsOnPostgres(PostgresKeelServerFixture server) : DataProfileIntegrationTests(server), IClassFixture<PostgresKeelServerFixture>;
