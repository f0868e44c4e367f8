using static Keel.Server.Tests.Infrastructure.RegistryApi;

namespace Keel.Server.Tests;

public abstract class RegistryConcurrencyTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task ConcurrentAliasMoves_EndOnOneOfTheTwo_AndLogBoth()
    {
        const int Rounds = 25;
        var name = UniqueName();
        await _api.CreateModelAsync(name);
        await _api.CreateVersionAsync(name);
        await _api.CreateVersionAsync(name);

        for (var round = 0; round < Rounds; round++)
        {
            var movers = new[] { "1", "2" }.Select(version => Task.Run(async () =>
                (await _api.PostAsync("/registered-models/alias", new { name, alias = "champion", version })).Ok())).ToArray();
            await Task.WhenAll(movers);

            var current = (string)(await _api.GetAsync($"/registered-models/alias?name={name}&alias=champion")).Ok().Json["model_version"]!["version"]!;
            Assert.Contains(current, new[] { "1", "2" });
            var aliases = (await _api.GetModelAsync(name))["aliases"]!.AsArray();
            Assert.Equal(current, (string)Assert.Single(aliases)!["version"]!);
        }

        var moves = (await EventsAsync(server.Http, name)).Where(e => (string)e!["event_type"]! == "MODEL_VERSION_ALIAS_CREATED").ToList();
        Assert.Equal(2 * Rounds, moves.Count);
        Assert.Equal(Rounds, moves.Count(e => (string)e!["version"]! == "1"));
        Assert.Equal(Rounds, moves.Count(e => (string)e!["version"]! == "2"));
    }

    [Fact]
    public async Task ConcurrentVersionCreation_HandsOutEachNumberOnce()
    {
        var name = UniqueName();
        await _api.CreateModelAsync(name);

        var versions = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () =>
            (string)(await _api.CreateVersionAsync(name))["version"]!)));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => i.ToString()).Order(), versions.Order());
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneName_OneWinsTheOthersAreAlreadyExists()
    {
        var name = UniqueName();
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => _api.PostAsync("/registered-models/create", new { name }))));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => r.Error(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS"));
    }
}

public sealed class RegistryConcurrencyTestsOnSqlite(KeelServerFixture server) : RegistryConcurrencyTests(server), IClassFixture<KeelServerFixture>;

public sealed class RegistryConcurrencyTestsOnPostgres(PostgresKeelServerFixture server) : RegistryConcurrencyTests(server), IClassFixture<PostgresKeelServerFixture>;
