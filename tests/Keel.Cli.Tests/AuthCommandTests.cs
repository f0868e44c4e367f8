using Keel.Cli.Commands;
using Keel.Client;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel server --auth</c>'s bootstrap checks, and the CLI sending MLflow's credential variables.</summary>
public sealed class AuthCommandTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "keel-cli-auth-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("short1", "at least 12 characters")]
    [InlineData("password1234", "common passwords")]
    [InlineData("aaaaaaaaaaaaaaaa", "distinct characters")]
    public async Task Server_WeakBootstrapPassword_IsRefusedInOneLine(string password, string reason)
    {
        Environment.SetEnvironmentVariable("KEEL_BOOTSTRAP_ADMIN_PASSWORD", password);

        var result = await CliRunner.RunAsync("server", "--port", "0", "--data", _data, "--auth", "--bootstrap-admin", "admin");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("Error: KEEL_BOOTSTRAP_ADMIN_PASSWORD is refused:", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.False(Directory.Exists(_data), "nothing was created");
    }

    [Fact]
    public async Task Server_BootstrapWithoutPassword_OrWithoutAuth_IsRefused()
    {
        Environment.SetEnvironmentVariable("KEEL_BOOTSTRAP_ADMIN_PASSWORD", null);
        var missing = await CliRunner.RunAsync("server", "--port", "0", "--data", _data, "--auth", "--bootstrap-admin", "admin");
        Assert.Equal(ExitCodes.InvalidArguments, missing.ExitCode);
        Assert.Contains("no default password", missing.Error, StringComparison.Ordinal);

        Environment.SetEnvironmentVariable("KEEL_BOOTSTRAP_ADMIN_PASSWORD", Password);
        var noAuth = await CliRunner.RunAsync("server", "--port", "0", "--data", _data, "--bootstrap-admin", "admin");
        Assert.Equal(ExitCodes.InvalidArguments, noAuth.ExitCode);
        Assert.Contains("--bootstrap-admin needs --auth", noAuth.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_AgainstAuthServer_NeedsCredentials_AndSendsTokenOrBasicFromTheEnvironment()
    {
        var server = await KeelServerFixture.StartAsync(
            _data, "--Auth:Enabled", "true", "--Auth:BootstrapAdmin", "admin", "--Auth:BootstrapPassword", Password);
        var uri = server.BaseAddress.ToString();
        ClearCredentials();
        try
        {
            var anonymous = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Unauthenticated, anonymous.ExitCode);
            Assert.Contains("MLFLOW_TRACKING_TOKEN", anonymous.Error, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable(TrackingCredentials.UserVariable, "admin");
            Environment.SetEnvironmentVariable(TrackingCredentials.PasswordVariable, Password + "x");
            Assert.Equal(ExitCodes.Unauthenticated, (await CliRunner.RunAsync("experiments", "list", "--tracking-uri", uri)).ExitCode);

            Environment.SetEnvironmentVariable(TrackingCredentials.PasswordVariable, Password);
            var basic = await CliRunner.RunAsync("experiments", "list", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, basic.ExitCode);
            Assert.Contains("Default", basic.Output, StringComparison.Ordinal);

            ClearCredentials();
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + Password)));
            using var created = await http.PostAsync("/api/keel/v1/tokens", new StringContent("{\"name\":\"cli\"}", System.Text.Encoding.UTF8, "application/json"));
            created.EnsureSuccessStatusCode();
            var token = (string)System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["secret"]!;
            Environment.SetEnvironmentVariable(TrackingCredentials.TokenVariable, token);
            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("experiments", "list", "--tracking-uri", uri)).ExitCode);
        }
        finally
        {
            ClearCredentials();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task UsersAndTokensCommands_ManageUsersAndTokens()
    {
        var server = await KeelServerFixture.StartAsync(
            _data, "--Auth:Enabled", "true", "--Auth:BootstrapAdmin", "admin", "--Auth:BootstrapPassword", Password);
        var uri = server.BaseAddress.ToString();
        var stdin = Console.In;
        try
        {
            UseBasic("admin", Password);
            Assert.Equal(ExitCodes.InvalidArguments, (await RunWithInputAsync("short\n", "users", "create", "bob", "--tracking-uri", uri)).ExitCode);
            var created = await RunWithInputAsync("bobs long password\n", "users", "create", "bob", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, created.ExitCode);
            var listed = await CliRunner.RunAsync("users", "list", "--json", "--tracking-uri", uri);
            Assert.Contains("\"bob\"", listed.Output, StringComparison.Ordinal);

            UseBasic("bob", "bobs long password");
            Assert.NotEqual(ExitCodes.Success, (await CliRunner.RunAsync("users", "list", "--tracking-uri", uri)).ExitCode);
            var token = await CliRunner.RunAsync("tokens", "create", "ci", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, token.ExitCode);
            var secret = token.Output.Trim();
            Assert.StartsWith("keel_", secret, StringComparison.Ordinal);

            ClearCredentials();
            Environment.SetEnvironmentVariable(TrackingCredentials.TokenVariable, secret);
            var tokens = await CliRunner.RunAsync("tokens", "list", "--json", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, tokens.ExitCode);
            Assert.DoesNotContain(secret, tokens.Output, StringComparison.Ordinal);
            var id = (string)System.Text.Json.Nodes.JsonNode.Parse(tokens.Output)!.AsArray()[0]!["id"]!;
            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("tokens", "revoke", id, "--tracking-uri", uri)).ExitCode);
            Assert.Equal(ExitCodes.Unauthenticated, (await CliRunner.RunAsync("tokens", "list", "--tracking-uri", uri)).ExitCode);

            UseBasic("bob", "bobs long password");
            Assert.Equal(ExitCodes.Success, (await RunWithInputAsync("bobs newer password\n", "users", "passwd", "bob", "--tracking-uri", uri)).ExitCode);
            UseBasic("bob", "bobs newer password");
            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("tokens", "list", "--tracking-uri", uri)).ExitCode);

            UseBasic("admin", Password);
            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("users", "delete", "bob", "--tracking-uri", uri)).ExitCode);
            Assert.Equal(ExitCodes.NotFound, (await CliRunner.RunAsync("users", "delete", "bob", "--tracking-uri", uri)).ExitCode);
        }
        finally
        {
            Console.SetIn(stdin);
            ClearCredentials();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task UsersRoleAndGrantsCommands_SetListAndRemoveRoles()
    {
        var server = await KeelServerFixture.StartAsync(
            _data, "--Auth:Enabled", "true", "--Auth:BootstrapAdmin", "admin", "--Auth:BootstrapPassword", Password);
        var uri = server.BaseAddress.ToString();
        var stdin = Console.In;
        try
        {
            UseBasic("admin", Password);
            var created = await RunWithInputAsync("carols long password\n", "users", "create", "carol", "--role", "editor", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, created.ExitCode);
            Assert.Contains("(editor)", created.Output, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.InvalidArguments, (await RunWithInputAsync("dans long password\n", "users", "create", "dan", "--role", "boss", "--tracking-uri", uri)).ExitCode);
            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("users", "set-role", "carol", "reader", "--tracking-uri", uri)).ExitCode);
            Assert.Contains("\"reader\"", (await CliRunner.RunAsync("users", "list", "--json", "--tracking-uri", uri)).Output, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + Password)));
            using var experiment = await http.PostAsync("/api/2.0/mlflow/experiments/create",
                new StringContent("{\"name\":\"granted\"}", System.Text.Encoding.UTF8, "application/json"));
            var id = (string)System.Text.Json.Nodes.JsonNode.Parse(await experiment.Content.ReadAsStringAsync())!["experiment_id"]!;

            var set = await CliRunner.RunAsync("grants", "set", "experiment", id, "carol", "none", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.Success, set.ExitCode);
            var listed = await CliRunner.RunAsync("grants", "list", "--user", "carol", "--json", "--tracking-uri", uri);
            var grant = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(listed.Output)!.AsArray())!;
            Assert.Equal((id, "none"), ((string)grant["resource"]!, (string)grant["role"]!));

            var bogus = await CliRunner.RunAsync("grants", "set", "bucket", id, "carol", "reader", "--tracking-uri", uri);
            Assert.Equal(ExitCodes.InvalidArguments, bogus.ExitCode);
            Assert.Single(bogus.Error.TrimEnd().Split('\n'));
            Assert.Equal(ExitCodes.InvalidArguments, (await CliRunner.RunAsync("grants", "set", "experiment", id, "carol", "boss", "--tracking-uri", uri)).ExitCode);

            Assert.Equal(ExitCodes.Success, (await CliRunner.RunAsync("grants", "remove", "experiment", id, "carol", "--tracking-uri", uri)).ExitCode);
            Assert.Equal(ExitCodes.NotFound, (await CliRunner.RunAsync("grants", "remove", "experiment", id, "carol", "--tracking-uri", uri)).ExitCode);
        }
        finally
        {
            Console.SetIn(stdin);
            ClearCredentials();
            await server.DisposeAsync();
        }
    }

    private static Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        Console.SetIn(new StringReader(input));
        return CliRunner.RunAsync(args);
    }

    private static void UseBasic(string user, string password)
    {
        ClearCredentials();
        Environment.SetEnvironmentVariable(TrackingCredentials.UserVariable, user);
        Environment.SetEnvironmentVariable(TrackingCredentials.PasswordVariable, password);
    }

    private static void ClearCredentials()
    {
        Environment.SetEnvironmentVariable(TrackingCredentials.TokenVariable, null);
        Environment.SetEnvironmentVariable(TrackingCredentials.UserVariable, null);
        Environment.SetEnvironmentVariable(TrackingCredentials.PasswordVariable, null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KEEL_BOOTSTRAP_ADMIN_PASSWORD", null);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
