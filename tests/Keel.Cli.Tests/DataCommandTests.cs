using System.Diagnostics;
using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel data</c> against a real server, including an add killed mid-upload and resumed.</summary>
public abstract class DataCommandTests(KeelServerFixture server) : IDisposable
{
    private readonly KeelClient _client = new(server.Http);
    private readonly string _local = Directory.CreateTempSubdirectory("keel-data-cli-").FullName;
    private readonly string _trackingUri = server.BaseAddress.ToString();

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_local, recursive: true);
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private string Local(string relative) => Path.Combine(_local, relative);

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task AddVersionsGetDiff_RoundTripATreeAndDescribeTheChange()
    {
        var name = UniqueName("cli");
        Write(Local("in/a b/ü.csv"), "x\n1\n"u8.ToArray());
        Write(Local("in/empty"), []);

        var first = await RunAsync("data", "add", Local("in"), "--name", name, "-m", "initial");
        Write(Local("in/a b/ü.csv"), "x\n1\n2\n"u8.ToArray());
        var second = await RunAsync("data", "add", Local("in"), "--name", name);
        var versions = await RunAsync("data", "versions", name, "--json");
        var get = await RunAsync("data", "get", $"{name}@1", "--to", Local("out"));
        var diff = await RunAsync("data", "diff", $"{name}@1", $"{name}@latest");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains($"Added {name}@1: 2 files", first.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("Uploaded 1 of 1 chunks", second.Output, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(versions.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([1L, 2], listed.Select(v => v.GetProperty("version").GetInt64()));
        Assert.Equal("initial", listed[0].GetProperty("message").GetString());
        Assert.Equal(ExitCodes.Success, get.ExitCode);
        Assert.Equal("x\n1\n", File.ReadAllText(Local("out/a b/ü.csv")));
        Assert.Equal(0, new FileInfo(Local("out/empty")).Length);
        Assert.Equal(ExitCodes.Success, diff.ExitCode);
        Assert.Contains("changed", diff.Output, StringComparison.Ordinal);
        Assert.Contains("a b/ü.csv", diff.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_ShowsEachTablesColumns_AsTextAndJson_AndAMissingVersionIsNotFound()
    {
        var name = UniqueName("cli-profile");
        Write(Local("in/t.csv"), "n,city\n1,Oslo\n3,Oslo\n,Bergen\n"u8.ToArray());
        await RunAsync("data", "add", Local("in"), "--name", name);

        var text = await RunAsync("data", "profile", $"{name}@1");
        var json = await RunAsync("data", "profile", name, "--json");
        var missing = await RunAsync("data", "profile", $"{name}@7");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains("t.csv (csv): 3 rows, 2 columns", text.Output, StringComparison.Ordinal);
        Assert.Contains("Oslo (2)", text.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        var n = JsonDocument.Parse(json.Output).RootElement[0].GetProperty("columns")[0];
        Assert.Equal("integer", n.GetProperty("type").GetString());
        Assert.Equal(1, n.GetProperty("nulls").GetInt64());
        Assert.Equal(2.0, n.GetProperty("mean").GetDouble());
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
    }

    [Fact]
    public async Task Diff_OfAChangedTable_NamesTheNewColumnAndTheShiftLevel()
    {
        var name = UniqueName("cli-table-diff");
        Write(Local("in/t.csv"), System.Text.Encoding.UTF8.GetBytes("x\n" + string.Join("\n", Enumerable.Range(0, 100)) + "\n"));
        await RunAsync("data", "add", Local("in"), "--name", name);
        Write(Local("in/t.csv"), System.Text.Encoding.UTF8.GetBytes("x,y\n" + string.Join("\n", Enumerable.Range(0, 100).Select(i => $"{i + 80},1")) + "\n"));
        await RunAsync("data", "add", Local("in"), "--name", name);

        var diff = await RunAsync("data", "diff", $"{name}@1", $"{name}@2");

        Assert.Equal(ExitCodes.Success, diff.ExitCode);
        Assert.Contains("t.csv: rows 100 → 100 (0)", diff.Output, StringComparison.Ordinal);
        Assert.Contains("added column y", diff.Output, StringComparison.Ordinal);
        Assert.Contains("major", diff.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lineage_NamesTheRunAndTheModelVersion_AndAMissingVersionIsNotFound()
    {
        var name = UniqueName("cli-lineage");
        Write(Local("in/v.txt"), [1]);
        await RunAsync("data", "add", Local("in"), "--name", name);
        var run = (await _client.CreateRunAsync(await _client.CreateExperimentAsync(UniqueName("cli-lineage-exp")), "trainer")).Info;
        await _client.Data.LogInputAsync(run.RunId, $"{name}@1");
        var model = UniqueName("cli-lineage-model");
        await _client.CreateRegisteredModelAsync(model);
        await _client.CreateModelVersionAsync(model, run.ArtifactUri + "/model", run.RunId);

        var text = await RunAsync("data", "lineage", $"{name}@1");
        var json = await RunAsync("data", "lineage", name, "--json");
        var missing = await RunAsync("data", "lineage", $"{name}@4");
        var modelText = await RunAsync("models", "lineage", $"{model}/1");
        var modelJson = await RunAsync("models", "lineage", $"{model}/1", "--json");

        Assert.Equal(ExitCodes.Success, modelText.ExitCode);
        Assert.Contains("Data versions (1)", modelText.Output, StringComparison.Ordinal);
        var traced = JsonDocument.Parse(modelJson.Output).RootElement.GetProperty("data_versions")[0];
        Assert.Equal(($"data:/{name}@1", 1L), (traced.GetProperty("uri").GetString(), traced.GetProperty("version").GetInt64()));
        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains($"data:/{name}@1: used by 1 run(s); 1 registered model version(s)", text.Output, StringComparison.Ordinal);
        Assert.Contains(run.RunId, text.Output, StringComparison.Ordinal);
        Assert.Equal(model, JsonDocument.Parse(json.Output).RootElement.GetProperty("model_versions")[0].GetProperty("name").GetString());
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
    }

    [Fact]
    public async Task Rm_OfATaggedVersion_IsRefusedWithTheReason_AndRmOfAnUntaggedOneDeletesIt()
    {
        var name = UniqueName("cli-rm");
        Write(Local("in/v.txt"), [1]);
        await RunAsync("data", "add", Local("in"), "--name", name);
        Write(Local("in/v.txt"), [2]);
        await RunAsync("data", "add", Local("in"), "--name", name);

        var tag = await RunAsync("data", "tag", $"{name}@1", "prod");
        var refused = await RunAsync("data", "rm", $"{name}@prod");
        var deleted = await RunAsync("data", "rm", $"{name}@2");

        Assert.Equal(ExitCodes.Success, tag.ExitCode);
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Equal($"Error: {name}@1 is kept: tag 'prod' points at it.", refused.Error.Trim());
        Assert.Equal(ExitCodes.Success, deleted.ExitCode);
        Assert.Equal([1L], (await _client.Data.ListVersionsAsync(name)).Select(v => v.Version));
    }

    [Fact]
    public async Task Rm_FreesTheChunksOnlyTheRemovedVersionUsed_AndGcReportsNothingLeft()
    {
        var name = UniqueName("cli-gc");
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        Write(Local("in/v.bin"), bytes);
        await RunAsync("data", "add", Local("in"), "--name", name);
        Write(Local("in/v.bin"), [2]);
        await RunAsync("data", "add", Local("in"), "--name", name);
        await RunAsync("data", "gc", "--grace", "0");

        var rm = await RunAsync("data", "rm", $"{name}@1", "--grace", "0");
        var gc = await RunAsync("data", "gc", "--grace", "0", "--json");
        var negative = await RunAsync("data", "gc", "--grace", "-5");

        Assert.Equal(ExitCodes.Success, rm.ExitCode);
        Assert.Contains($"Deleted {name}@1.", rm.Output, StringComparison.Ordinal);
        Assert.Contains("Freed 1 chunk(s), 4 KiB", rm.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, gc.ExitCode);
        Assert.Equal(0, JsonDocument.Parse(gc.Output).RootElement.GetProperty("freed_chunks").GetInt64());
        Assert.Equal(ExitCodes.InvalidArguments, negative.ExitCode);
        Assert.Single(negative.Error.Trim().Split('\n'));
        await RunAsync("data", "get", name, "--to", Local("out"));
        Assert.Equal([2], File.ReadAllBytes(Local("out/v.bin")));
    }

    [Fact]
    public async Task BadInput_GetsAOneLineErrorAndANamedExitCode()
    {
        var name = UniqueName("cli-bad");
        Write(Local("in/a.txt"), [1]);
        await RunAsync("data", "add", Local("in"), "--name", name);
        Write(Local("full/keep.txt"), [1]);

        var noSuchPath = await RunAsync("data", "add", Local("nothing-here"), "--name", name);
        var noSuchVersion = await RunAsync("data", "get", $"{name}@7", "--to", Local("out"));
        var badReference = await RunAsync("data", "get", $"{name}@", "--to", Local("out"));
        var notEmpty = await RunAsync("data", "get", name, "--to", Local("full"));
        var badName = await RunAsync("data", "add", Local("in"), "--name", "a/b");

        Assert.Equal(ExitCodes.InvalidArguments, noSuchPath.ExitCode);
        Assert.Equal(ExitCodes.NotFound, noSuchVersion.ExitCode);
        Assert.Contains("has no version '7'", noSuchVersion.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, badReference.ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, notEmpty.ExitCode);
        Assert.Contains("not empty", notEmpty.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, badName.ExitCode);
        Assert.All(new[] { noSuchPath, noSuchVersion, badReference, notEmpty, badName }, r => Assert.Single(r.Error.Trim().Split('\n')));
        Assert.False(Directory.Exists(Local("out")));
        Assert.Single(await _client.Data.ListVersionsAsync(name));
    }

    [Fact]
    public async Task Verify_OfAnIntactDataset_ExitsWithSuccess()
    {
        var name = UniqueName("cli-verify");
        Write(Local("in/a.bin"), RandomBytes(300_000, 1));
        await RunAsync("data", "add", Local("in"), "--name", name);

        var result = await RunAsync("data", "verify", name);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("All chunks are intact.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_KilledMidUpload_ResumesWithoutResendingTheChunksTheServerAccepted()
    {
        for (var i = 0; i < 4; i++)
        {
            Write(Local($"in/part {i}.bin"), RandomBytes(24 * 1024 * 1024, 100 + i));
        }

        var name = UniqueName("cli-resume");
        var before = await _client.Data.GetStatsAsync();
        var keel = Path.Combine(AppContext.BaseDirectory, "keel.dll");
        using (var child = Process.Start(new ProcessStartInfo("dotnet", [keel, "data", "add", Local("in"), "--name", name, "--tracking-uri", _trackingUri])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            // Kill it once the server has taken some chunks (seen through the server, not the child's output).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await _client.Data.GetStatsAsync()).Chunks - before.Chunks < 8)
            {
                if (child.HasExited)
                {
                    Assert.Fail($"keel data add ended before it could be interrupted: {await child.StandardError.ReadToEndAsync()}");
                }

                Assert.True(DateTime.UtcNow < deadline, "keel data add uploaded nothing within a minute.");
                await Task.Delay(5);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }

        // PUTs the server had fully received when the client died still finish storing; count once they have.
        var interrupted = await _client.Data.GetStatsAsync();
        for (var settled = false; !settled;)
        {
            await Task.Delay(500);
            var now = await _client.Data.GetStatsAsync();
            (settled, interrupted) = (now.Chunks == interrupted.Chunks, now);
        }
        var notRecorded = await Assert.ThrowsAsync<KeelApiException>(() => _client.Data.ListVersionsAsync(name));
        var resumed = await RunAsync("data", "add", Local("in"), "--name", name, "--json");
        var after = await _client.Data.GetStatsAsync();

        Assert.Equal(KeelErrorCodes.ResourceDoesNotExist, notRecorded.ErrorCode);
        Assert.Equal(ExitCodes.Success, resumed.ExitCode);
        var result = JsonDocument.Parse(resumed.Output).RootElement;
        var total = result.GetProperty("chunks").GetInt64();
        var acceptedBeforeKill = interrupted.Chunks - before.Chunks;
        Assert.InRange(acceptedBeforeKill, 8, total - 1);
        Assert.Equal(total - acceptedBeforeKill, result.GetProperty("uploaded_chunks").GetInt64());
        Assert.Equal(total, after.Chunks - before.Chunks);
        Assert.Equal(1, result.GetProperty("version").GetProperty("version").GetInt64());
        await _client.Data.GetAsync(name, Local("out"));
        Assert.Equal(File.ReadAllBytes(Local("in/part 3.bin")), File.ReadAllBytes(Local("out/part 3.bin")));
    }
}

public sealed class DataCommandTestsOnSqlite(KeelServerFixture server) : DataCommandTests(server), IClassFixture<KeelServerFixture>;

public sealed class DataCommandTestsOnPostgres(PostgresKeelServerFixture server) : DataCommandTests(server), IClassFixture<PostgresKeelServerFixture>;
