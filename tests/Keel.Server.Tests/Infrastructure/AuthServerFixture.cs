using System.Net.Http.Headers;
using System.Text;

namespace Keel.Server.Tests.Infrastructure;

/// <summary>Auth on, with a bootstrap admin whose password the tests know.</summary>
public static class AuthTestSettings
{
    public const string Admin = "admin";
    public const string AdminPassword = "correct horse battery staple";

    public static readonly string[] Arguments =
        ["--Auth:Enabled", "true", "--Auth:BootstrapAdmin", Admin, "--Auth:BootstrapPassword", AdminPassword];

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

public sealed class AuthServerFixture : KeelServerFixture
{
    protected override IEnumerable<string> ExtraArguments => AuthTestSettings.Arguments;
}

public sealed class PostgresAuthServerFixture : PostgresKeelServerFixture
{
    protected override IEnumerable<string> Settings => AuthTestSettings.Arguments;
}
