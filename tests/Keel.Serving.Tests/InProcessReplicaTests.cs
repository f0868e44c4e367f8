using System.Text;
using Keel.Client;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>
/// Two Keel servers on one PostgreSQL database (and one data directory for artifacts), as two replicas: each serves
/// every deployment by following the store, and an alias move becomes exactly one revision whichever replica took it.
/// </summary>
public sealed class InProcessReplicaTests(PostgresKeelServerFixture a) : IClassFixture<PostgresKeelServerFixture>
{
    private static StringContent OneRow() => new("""{"dataframe_records": [{"Distance": 120, "Hour": 9, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json");

    private static async Task<string> VersionAsync(HttpClient http, string deployment)
    {
        using var response = await http.PostAsync($"/deployments/{deployment}/invocations", OneRow());
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.GetValues("X-Keel-Model-Version").Single();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task AliasMoves_OnEitherReplica_AddOneRevisionEach_AndBothReplicasServeTheNewVersion()
    {
        await using var b = await KeelServerFixture.StartAsync(a.DataDirectory, "--Storage:Database", a.Database.ConnectionString);
        var onA = new KeelClient(a.Http);
        var onB = new KeelClient(b.Http);
        var model = await ServedTinyModel.RegisterVersionsAsync(a);
        var deployment = model + "-replicas";
        await onA.SetModelAliasAsync(model, "champion", 1);
        await onA.Deployments.CreateAsync(deployment, $"models:/{model}@champion");
        Assert.Equal("1", await VersionAsync(a.Http, deployment));
        Assert.Equal("1", await VersionAsync(b.Http, deployment));

        await Task.WhenAll(onA.SetModelAliasAsync(model, "champion", 2), onB.SetModelAliasAsync(model, "champion", 2));
        await UntilAsync(async () => await VersionAsync(a.Http, deployment) == "2" && await VersionAsync(b.Http, deployment) == "2", "both replicas serve version 2");
        await onB.SetModelAliasAsync(model, "champion", 1);
        await UntilAsync(async () => await VersionAsync(a.Http, deployment) == "1" && await VersionAsync(b.Http, deployment) == "1", "both replicas serve version 1");

        // Two replicas setting the same alias at once: one moved it, the other found it already there.
        var revisions = await onB.Deployments.ListRevisionsAsync(deployment);
        Assert.Equal([3L, 2, 1], revisions.Select(r => r.Revision));
        Assert.Equal([1L, 2, 1], revisions.Select(r => r.ModelVersion ?? 0));
        Assert.All(revisions.Take(2), r => Assert.StartsWith("alias champion", r.Cause, StringComparison.Ordinal));
    }
}
