using System.Text;
using System.Text.Json.Nodes;
using Keel.Cli.Commands;
using Keel.Core.Audit;
using Keel.Core.Storage;
using Keel.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Cli.Tests;

/// <summary>
/// <c>keel audit</c> against a real server whose audit tables are then tampered with directly in the database, as
/// someone with write access to the database (but not the key) could.
/// </summary>
public abstract class AuditCommandTests
{
    private const string Columns = "seq, time, actor, action, resource, request_id, outcome, payload_sha256, prev_hash, hash";

    protected abstract Task<KeelServerFixture> StartServerAsync();

    [Fact]
    public async Task Verify_IntactTrail_ExitsZeroAndNamesTheHead()
    {
        await WithServerAsync(async (server, uri) =>
        {
            var result = await CliRunner.RunAsync("audit", "verify", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.StartsWith("The audit trail is intact: 5 entries; head 5 ", result.Output, StringComparison.Ordinal);
        });
    }

    [Fact]
    public Task Verify_ModifiedField_NamesTheEntry() => AssertTamperingFoundAsync(
        writes => writes.ExecuteAsync(ctx => ctx.Execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")), 3, "modified");

    [Fact]
    public Task Verify_DeletedEntryInTheMiddle_IsMissing() => AssertTamperingFoundAsync(
        writes => writes.ExecuteAsync(ctx => ctx.Execute("DELETE FROM audit_log WHERE seq = 3")), 3, "missing");

    [Fact]
    public Task Verify_DeletedLastEntry_IsMissing() => AssertTamperingFoundAsync(
        writes => writes.ExecuteAsync(ctx => ctx.Execute("DELETE FROM audit_log WHERE seq = 5")), 5, "missing");

    [Fact]
    public Task Verify_TwoEntriesSwapped_IsReordered() => AssertTamperingFoundAsync(
        writes => writes.ExecuteAsync(ctx =>
        {
            var second = ReadRow(ctx, 2);
            var fourth = ReadRow(ctx, 4);
            WriteRow(ctx, 2, fourth);
            WriteRow(ctx, 4, second);
        }), 2, "reordered");

    [Fact]
    public Task Verify_ChainRecomputedWithAnotherKey_IsDetected() => AssertTamperingFoundAsync(
        writes => writes.ExecuteAsync(ctx =>
        {
            // Everything an attacker with the database alone can do: a consistent chain, under a key of their own.
            var forger = new AuditChain(Encoding.UTF8.GetBytes("not the server's key, but long enough to pass"));
            var prev = AuditChain.GenesisHash;
            for (var seq = 1L; seq <= 5; seq++)
            {
                var row = ReadRow(ctx, seq);
                var record = new AuditRecord((long)row[1]!, (string)row[2]!, (string)row[3]!, (string?)row[4], (string)row[5]!, (int)(long)row[6]!, (string?)row[7]);
                var hash = forger.Next(prev, record with { Actor = seq == 3 ? "mallory" : record.Actor });
                ctx.Execute("UPDATE audit_log SET actor = @p1, prev_hash = @p2, hash = @p3 WHERE seq = @p0",
                    seq, seq == 3 ? "mallory" : record.Actor, prev, hash);
                prev = hash;
            }

            ctx.Execute("UPDATE audit_head SET hash = @p0 WHERE id = 1", prev);
        }), 1, "modified");

    [Fact]
    public async Task AuditWriteFailure_AnswersServerError_InsteadOfAnUnauditedSuccess()
    {
        await WithServerAsync(async (server, uri) =>
        {
            await server.Services.GetRequiredService<WriteQueue>().ExecuteAsync(ctx => ctx.Execute("DELETE FROM audit_head"));

            using var response = await server.Http.PostAsync("/api/2.0/mlflow/experiments/create",
                new StringContent("""{"name": "unaudited"}""", Encoding.UTF8, "application/json"));

            Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
            var verify = await CliRunner.RunAsync("audit", "verify", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.IntegrityError, verify.ExitCode);
            Assert.Contains("head mismatch", verify.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Export_WritesJsonLines_AndListPrintsATable()
    {
        await WithServerAsync(async (server, uri) =>
        {
            var file = Path.Combine(Path.GetTempPath(), $"keel-audit-{Guid.NewGuid():N}.jsonl");
            var export = await CliRunner.RunAsync("audit", "export", "--since", "1h", "--out", file, "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, export.ExitCode);
            Assert.Contains("Exported 5 audit entries", export.Output, StringComparison.Ordinal);
            var lines = File.ReadAllLines(file).Select(l => JsonNode.Parse(l)!).ToList();
            File.Delete(file);
            Assert.Equal([1L, 2, 3, 4, 5], lines.Select(l => (long)l["seq"]!));
            Assert.All(lines, l => Assert.Equal("POST /api/2.0/mlflow/experiments/create", (string)l["action"]!));
            Assert.All(lines, l => Assert.Equal(64, ((string)l["hash"]!).Length));

            var future = await CliRunner.RunAsync("audit", "export", "--since", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, future.ExitCode);
            Assert.Equal("", future.Output);

            var list = await CliRunner.RunAsync("audit", "list", "--actor", "auditor", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, list.ExitCode);
            Assert.Contains("experiment/audited-4", list.Output, StringComparison.Ordinal);

            var noSince = await CliRunner.RunAsync("audit", "export", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.InvalidArguments, noSince.ExitCode);
            Assert.Contains("--since", noSince.Error, StringComparison.Ordinal);
            var badSince = await CliRunner.RunAsync("audit", "export", "--since", "yesterday-ish", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.InvalidArguments, badSince.ExitCode);
            Assert.Single(badSince.Error.TrimEnd().Split('\n'));
        });
    }

    private async Task AssertTamperingFoundAsync(Func<WriteQueue, Task> tamper, long seq, string kind)
    {
        await WithServerAsync(async (server, uri) =>
        {
            await tamper(server.Services.GetRequiredService<WriteQueue>());

            var result = await CliRunner.RunAsync("audit", "verify", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.IntegrityError, result.ExitCode);
            Assert.StartsWith($"Error: audit entry {seq} is {kind}:", result.Error, StringComparison.Ordinal);

            var json = JsonNode.Parse((await CliRunner.RunAsync("audit", "verify", "--json", "--tracking-uri", uri)).Output)!;
            Assert.False((bool)json["ok"]!);
            Assert.Equal(seq, (long)json["first_problem"]!["seq"]!);
            Assert.Equal(kind, (string)json["first_problem"]!["kind"]!);
        });
    }

    /// <summary>A fresh server (tampering must not leak into other tests) with five audited mutations.</summary>
    protected async Task WithServerAsync(Func<KeelServerFixture, string, Task> test)
    {
        var server = await StartServerAsync();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/create")
                {
                    Content = new StringContent($$"""{"name": "audited-{{i}}"}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("X-Keel-User", "auditor");
                using var response = await server.Http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }

            await test(server, server.BaseAddress.ToString());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static object?[] ReadRow(WriteContext ctx, long seq)
    {
        using var reader = ctx.Query($"SELECT {Columns} FROM audit_log WHERE seq = @p0", seq);
        Assert.True(reader.Read());
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        return [.. values.Select(v => v is DBNull ? null : v)];
    }

    private static void WriteRow(WriteContext ctx, long seq, object?[] row) => ctx.Execute(
        "UPDATE audit_log SET time = @p1, actor = @p2, action = @p3, resource = @p4, request_id = @p5, outcome = @p6, " +
        "payload_sha256 = @p7, prev_hash = @p8, hash = @p9 WHERE seq = @p0",
        [seq, .. row[1..]]);
}

public sealed class AuditCommandTestsOnSqlite : AuditCommandTests
{
    protected override async Task<KeelServerFixture> StartServerAsync()
    {
        var server = new KeelServerFixture();
        await server.InitializeAsync();
        return server;
    }

    [Fact]
    public async Task EmbeddedKey_IsGeneratedOnceWithMode0600_AndSurvivesARestart()
    {
        var data = Path.Combine(Path.GetTempPath(), "keel-audit-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = await KeelServerFixture.StartAsync(data);
            (await first.Http.PostAsync("/api/2.0/mlflow/experiments/create", new StringContent("""{"name": "a"}"""))).EnsureSuccessStatusCode();
            var keyFile = Path.Combine(data, AuditOptions.KeyFileName);
            var key = await File.ReadAllTextAsync(keyFile);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            await first.DisposeAsync();

            var second = await KeelServerFixture.StartAsync(data);
            (await second.Http.PostAsync("/api/2.0/mlflow/experiments/create", new StringContent("""{"name": "b"}"""))).EnsureSuccessStatusCode();
            var result = await CliRunner.RunAsync("audit", "verify", "--tracking-uri", second.BaseAddress.ToString());
            await second.DisposeAsync();

            Assert.Equal(key, await File.ReadAllTextAsync(keyFile));
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Contains("2 entries", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            KeelServerFixture.TryDelete(data);
        }
    }
}

public sealed class AuditCommandTestsOnPostgres : AuditCommandTests
{
    private const string SharedKey = "a key both replicas are given, 32+ characters";

    protected override async Task<KeelServerFixture> StartServerAsync()
    {
        var server = new KeyedPostgresServer();
        await server.InitializeAsync();
        return server;
    }

    [Fact]
    public async Task TwoReplicasOnOneDatabase_AppendOneGapFreeChain()
    {
        await WithServerAsync(async (first, uri) =>
        {
            var data = Path.Combine(Path.GetTempPath(), "keel-audit-replica-" + Guid.NewGuid().ToString("N"));
            var second = await KeelServerFixture.StartAsync(
                data, "--Storage:Database", ((KeyedPostgresServer)first).Database.ConnectionString, "--Audit:Key", SharedKey);
            try
            {
                await Task.WhenAll(new[] { first, second }.SelectMany(replica => Enumerable.Range(0, 8).Select(async task =>
                {
                    for (var i = 0; i < 10; i++)
                    {
                        using var response = await replica.Http.PostAsync("/api/2.0/mlflow/experiments/create",
                            new StringContent($$"""{"name": "r-{{Guid.NewGuid():N}}"}""", Encoding.UTF8, "application/json"));
                        response.EnsureSuccessStatusCode();
                    }
                })));

                var result = await CliRunner.RunAsync("audit", "verify", "--tracking-uri", second.BaseAddress.ToString());
                Assert.Equal(ExitCodes.Success, result.ExitCode);
                Assert.StartsWith("The audit trail is intact: 165 entries; head 165 ", result.Output, StringComparison.Ordinal);
            }
            finally
            {
                await second.DisposeAsync();
                KeelServerFixture.TryDelete(data);
            }
        });
    }

    private sealed class KeyedPostgresServer : PostgresKeelServerFixture
    {
        protected override IEnumerable<string> Settings => ["--Audit:Key", SharedKey];
    }
}
