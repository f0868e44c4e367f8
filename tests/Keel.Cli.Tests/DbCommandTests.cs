using Keel.Cli.Commands;
using Keel.Testing;
using Npgsql;

namespace Keel.Cli.Tests;

public sealed class DbCommandTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Upgrade_AppliesTheMigrations_ThenReportsUpToDate()
    {
        var first = await CliRunner.RunAsync("db", "upgrade", "--db", _database.ConnectionString);
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("applied", first.Output, StringComparison.Ordinal);
        Assert.Contains("InitialTracking", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", first.Output, StringComparison.OrdinalIgnoreCase);

        await using (var connection = await _database.OpenAsync())
        await using (var command = new NpgsqlCommand("SELECT count(*) FROM experiments", connection))
        {
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        var second = await CliRunner.RunAsync("db", "upgrade", "--db", _database.ConnectionString);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Contains("is up to date", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_ReadsTheDatabaseFromKeelDb()
    {
        Environment.SetEnvironmentVariable(ServerOptions.DatabaseVariable, _database.ConnectionString);
        try
        {
            var result = await CliRunner.RunAsync("db", "upgrade");
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Contains(_database.Name, result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ServerOptions.DatabaseVariable, null);
        }
    }

    [Fact]
    public async Task UpgradeAndServer_OnSchemaFromNewerKeel_RefuseWithOneLine()
    {
        Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("db", "upgrade", "--db", _database.ConnectionString)).ExitCode);
        await using (var connection = await _database.OpenAsync())
        await using (var command = new NpgsqlCommand(
            "INSERT INTO \"__EFMigrationsHistory\"(\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromTheFuture', '99.0')", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        var upgrade = await CliRunner.RunAsync("db", "upgrade", "--db", _database.ConnectionString);
        Assert.Equal(ExitCodes.ServerFailedToStart, upgrade.ExitCode);
        Assert.Contains("newer than this Keel knows", upgrade.Error, StringComparison.Ordinal);

        var server = await CliRunner.RunAsync("server", "--port", "0", "--db", _database.ConnectionString);
        Assert.Equal(ExitCodes.ServerFailedToStart, server.ExitCode);
        Assert.StartsWith("Error: could not start the server:", server.Error, StringComparison.Ordinal);
        Assert.Contains("newer than this Keel knows", server.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_UnreachableDatabase_ExitsUnreachable()
    {
        var result = await CliRunner.RunAsync("db", "upgrade", "--db", "postgresql://keel@127.0.0.1:1/keel");
        Assert.Equal(ExitCodes.Unreachable, result.ExitCode);
        Assert.StartsWith("Error: Could not upgrade postgresql://127.0.0.1:1/keel", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db", "upgrade", "--db", "mysql://keel@db/keel")]
    [InlineData("server", "--port", "0", "--db", "mysql://keel@db/keel")]
    public async Task NotAPostgresUrl_IsRefusedWithTheExpectedShape(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
        Assert.Contains("postgresql://user:password@host:5432/database", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
