using System.Text.Json;
using Keel.Cli.Commands;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel deploy</c> against a real server: create, move, canary, roll back, and the errors a user can make.</summary>
public abstract class DeployCommandTests(KeelServerFixture server)
{
    private readonly string _trackingUri = server.BaseAddress.ToString();

    private static string UniqueName() => "cli-" + Guid.NewGuid().ToString("N")[..10];

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--tracking-uri", _trackingUri]);

    [Fact]
    public async Task CreateSetCanaryRollback_AppendRevisions_ThatHistoryAndListShow()
    {
        var name = UniqueName();

        var created = await RunAsync("deploy", "create", name, "--model", "models:/flights@champion");
        var canary = await RunAsync("deploy", "set-canary", name, "--canary", "models:/flights/8", "--canary-percent", "20");
        var moved = await RunAsync("deploy", "set-model", name, "models:/flights/7");
        var back = await RunAsync("deploy", "rollback", name, "--to", "1");
        var history = await RunAsync("deploy", "history", name, "--json");
        var table = await RunAsync("deploy", "history", name);
        var list = await RunAsync("deploy", "list", "--json");

        Assert.Equal(ExitCodes.Success, created.ExitCode);
        Assert.Contains($"Created {name} at revision 1: models:/flights@champion", created.Output, StringComparison.Ordinal);
        Assert.Contains("canary models:/flights/8 at 20%", canary.Output, StringComparison.Ordinal);
        Assert.Contains("revision 3: models:/flights/7, canary models:/flights/8 at 20%", moved.Output, StringComparison.Ordinal);
        Assert.Contains($"Rolled back {name} at revision 4: models:/flights@champion", back.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", back.Output, StringComparison.Ordinal);
        var revisions = JsonDocument.Parse(history.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([4L, 3, 2, 1], revisions.Select(r => r.GetProperty("revision").GetInt64()));
        Assert.All(revisions, r => Assert.Equal(Environment.UserName, r.GetProperty("actor").GetString()));
        Assert.Equal(20, revisions[1].GetProperty("canary").GetProperty("percent").GetInt64());
        Assert.Contains("models:/flights/8 (20%)", table.Output, StringComparison.Ordinal);
        var listed = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);
        Assert.Equal(4, listed.GetProperty("latest").GetProperty("revision").GetInt64());
    }

    [Fact]
    public async Task SetShadow_AddsAndClearsTheShadow_InNewRevisions()
    {
        var name = UniqueName();
        await RunAsync("deploy", "create", name, "--model", "models:/flights@champion");

        var shadowed = await RunAsync("deploy", "set-shadow", name, "--model", "models:/flights/9");
        var cleared = await RunAsync("deploy", "set-shadow", name, "--clear");
        var neither = await RunAsync("deploy", "set-shadow", name);
        var history = await RunAsync("deploy", "history", name, "--json");

        Assert.Equal(ExitCodes.Success, shadowed.ExitCode);
        Assert.Contains("revision 2: models:/flights@champion, shadow models:/flights/9", shadowed.Output, StringComparison.Ordinal);
        Assert.Contains("revision 3: models:/flights@champion", cleared.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("shadow", cleared.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, neither.ExitCode);
        var revisions = JsonDocument.Parse(history.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal([3L, 2, 1], revisions.Select(r => r.GetProperty("revision").GetInt64()));
        Assert.Equal("models:/flights/9", revisions[1].GetProperty("shadow").GetString());

        var deleted = await RunAsync("deploy", "delete", name);
        var gone = await RunAsync("deploy", "history", name);
        var again = await RunAsync("deploy", "delete", name);
        Assert.Equal(ExitCodes.Success, deleted.ExitCode);
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
    }

    [Fact]
    public async Task Mistakes_AreOneLineErrors_WithExitCodes_AndChangeNothing()
    {
        var name = UniqueName();
        Assert.Equal(ExitCodes.Success, (await RunAsync("deploy", "create", name, "--model", "models:/m/1")).ExitCode);

        var duplicate = await RunAsync("deploy", "create", name, "--model", "models:/m/2");
        var badUri = await RunAsync("deploy", "set-model", name, "s3://bucket/model");
        var badPercent = await RunAsync("deploy", "set-canary", name, "--canary", "models:/m/2", "--canary-percent", "150");
        var halfCanary = await RunAsync("deploy", "set-canary", name, "--canary", "models:/m/2");
        var nothingToRollBack = await RunAsync("deploy", "rollback", name);
        var missing = await RunAsync("deploy", "history", "no-such-deployment");

        Assert.Equal(ExitCodes.AlreadyExists, duplicate.ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, badUri.ExitCode);
        Assert.Contains("models:/ URI", badUri.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, badPercent.ExitCode);
        Assert.Contains("between 0 and 100", badPercent.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, halfCanary.ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, nothingToRollBack.ExitCode);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        foreach (var failed in new[] { duplicate, badUri, badPercent, halfCanary, nothingToRollBack, missing })
        {
            Assert.Single(failed.Error.Trim().Split('\n'));
            Assert.StartsWith("Error: ", failed.Error, StringComparison.Ordinal);
        }

        var history = await RunAsync("deploy", "history", name, "--json");
        var only = Assert.Single(JsonDocument.Parse(history.Output).RootElement.EnumerateArray());
        Assert.Equal("models:/m/1", only.GetProperty("model").GetString());
    }
}

public sealed class DeployCommandTestsOnSqlite(KeelServerFixture server) : DeployCommandTests(server), IClassFixture<KeelServerFixture>;

public sealed class DeployCommandTestsOnPostgres(PostgresKeelServerFixture server) : DeployCommandTests(server), IClassFixture<PostgresKeelServerFixture>;
