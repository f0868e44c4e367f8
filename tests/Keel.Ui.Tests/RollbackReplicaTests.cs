using System.Net;
using System.Text.RegularExpressions;
using Keel.Testing;
using Keel.Ui.Tests.Infrastructure;

namespace Keel.Ui.Tests;

/// <summary>
/// Two replicas on one PostgreSQL database: the rollback form one renders is accepted by the other, because the
/// antiforgery keys live in the database rather than in each process.
/// </summary>
public sealed partial class RollbackReplicaTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("keel-ui-replicas-").FullName;
    private PostgresTestDatabase? _database;
    private KeelServerFixture? _first;
    private KeelServerFixture? _second;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _first = await KeelServerFixture.StartAsync(Path.Combine(_root, "a"), "--Storage:Database", _database.ConnectionString);
        _second = await KeelServerFixture.StartAsync(Path.Combine(_root, "b"), "--Storage:Database", _database.ConnectionString);
    }

    [Fact]
    public async Task RollbackForm_RenderedByOneReplica_IsAcceptedByAnother()
    {
        var client = UiSeed.Client(_first!.BaseAddress);
        var seeded = await UiSeed.ModelAsync(client);

        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var page = await http.GetAsync(new Uri(_first.BaseAddress, $"/deployments/{seeded.Deployment}"));
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html).Groups[1].Value;
        var cookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri(_second!.BaseAddress, $"/deployments/{seeded.Deployment}?handler=Rollback"))
        {
            Content = new FormUrlEncodedContent([new("to", "1"), new("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", cookie);

        var response = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using (var connection = await _database!.OpenAsync())
        await using (var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM data_protection_keys", connection))
        {
            // Not each process's own key file: replicas on different machines would share nothing else.
            Assert.True((long)(await count.ExecuteScalarAsync())! >= 1);
        }

        var latest = (await UiSeed.Client(_second.BaseAddress).Deployments.GetAsync(seeded.Deployment)).Latest;
        Assert.Equal(3, latest.Revision);
        // A rollback pins the version revision 1 served (champion was version 2), so a later alias move cannot undo it.
        Assert.Equal($"models:/{seeded.Name}/2", latest.Model);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _first, _second })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        KeelServerFixture.TryDelete(_root);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
