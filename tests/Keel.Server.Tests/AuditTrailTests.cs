using System.Security.Cryptography;
using System.Text;

namespace Keel.Server.Tests;

/// <summary>What the audit trail records for real requests, and that concurrent writers still make one gap-free chain.</summary>
public abstract class AuditTrailTests(KeelServerFixture server)
{
    private const string Mlflow = "/api/2.0/mlflow";

    [Fact]
    public async Task Mutations_AreRecordedWithActorResourceOutcomeAndDigest_ReadsAndInvocationsAreNot()
    {
        var actor = "alice-" + Guid.NewGuid().ToString("N")[..8];
        var createBody = $$"""{"name": "audit-{{Guid.NewGuid():N}}"}""";
        var (created, createId) = await SendAsync(HttpMethod.Post, Mlflow + "/experiments/create", actor, createBody);
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var experimentId = (string)created.Json["experiment_id"]!;
        var (run, runId) = await SendAsync(HttpMethod.Post, Mlflow + "/runs/create", actor, $$"""{"experiment_id": "{{experimentId}}"}""");
        var runUuid = (string)run.Json["run"]!["info"]!["run_id"]!;
        var metricBody = $$"""{"run_id": "{{runUuid}}", "key": "loss", "value": 0.5, "timestamp": 1, "step": 0}""";
        var (_, metricId) = await SendAsync(HttpMethod.Post, Mlflow + "/runs/log-metric", actor, metricBody);
        var (missing, deleteId) = await SendAsync(HttpMethod.Delete, "/api/keel/v1/deployments/no-such-deployment", actor, null);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        var (_, readId) = await SendAsync(HttpMethod.Get, Mlflow + $"/experiments/get?experiment_id={experimentId}", actor, null);
        var (_, invokeId) = await SendAsync(HttpMethod.Post, "/deployments/no-such-deployment/invocations", actor, """{"inputs": [[1.0]]}""");

        var entries = (await ListAsync($"actor={actor}")).ToDictionary(e => (string)e["request_id"]!);

        var create = entries[createId];
        Assert.Equal("POST /api/2.0/mlflow/experiments/create", (string)create["action"]!);
        Assert.Equal(200, (int)create["outcome"]!);
        Assert.Equal(Sha256(createBody), (string)create["payload_sha256"]!);
        Assert.StartsWith("experiment/audit-", (string)create["resource"]!, StringComparison.Ordinal);
        Assert.Equal($"experiment/{experimentId}", (string)entries[runId]["resource"]!);
        Assert.Equal($"run/{runUuid}", (string)entries[metricId]["resource"]!);
        Assert.Equal(Sha256(metricBody), (string)entries[metricId]["payload_sha256"]!);
        var delete = entries[deleteId];
        Assert.Equal("DELETE /api/keel/v1/deployments/{name}", (string)delete["action"]!);
        Assert.Equal("deployment/no-such-deployment", (string)delete["resource"]!);
        Assert.Equal(404, (int)delete["outcome"]!);
        Assert.Equal(Sha256(""), (string)delete["payload_sha256"]!);
        Assert.False(entries.ContainsKey(readId), "a GET was audited");
        Assert.False(entries.ContainsKey(invokeId), "a scoring call was audited");
        Assert.Equal(4, entries.Count);
    }

    [Fact]
    public async Task Body_IsOnlyDigested_NeverStored()
    {
        var actor = "bob-" + Guid.NewGuid().ToString("N")[..8];
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var body = $$"""{"name": "{{secret}}", "password": "{{secret}}"}""";
        var (_, id) = await SendAsync(HttpMethod.Post, "/api/keel/v1/users", actor, body);

        var entry = Assert.Single(await ListAsync($"actor={actor}"));
        Assert.Equal(id, (string)entry["request_id"]!);
        Assert.Equal(Sha256(body), (string)entry["payload_sha256"]!);
        Assert.Equal(403, (int)entry["outcome"]!);
        Assert.DoesNotContain("password", entry.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentMutations_YieldOneGapFreeVerifiedChain()
    {
        var (created, _) = await SendAsync(HttpMethod.Post, Mlflow + "/experiments/create", "load", $$"""{"name": "audit-load-{{Guid.NewGuid():N}}"}""");
        var experimentId = (string)created.Json["experiment_id"]!;
        var (run, _) = await SendAsync(HttpMethod.Post, Mlflow + "/runs/create", "load", $$"""{"experiment_id": "{{experimentId}}"}""");
        var runId = (string)run.Json["run"]!["info"]!["run_id"]!;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async task =>
        {
            for (var i = 0; i < 10; i++)
            {
                var (response, _) = await SendAsync(HttpMethod.Post, Mlflow + "/runs/log-parameter", "load",
                    $$"""{"run_id": "{{runId}}", "key": "p{{task}}_{{i}}", "value": "v"}""");
                Assert.Equal(HttpStatusCode.OK, response.Status);
            }
        }));

        var verification = await GetJsonAsync("/api/keel/v1/audit/verify");
        Assert.True((bool)verification["ok"]!, verification.ToJsonString());
        var head = (long)verification["head"]!["seq"]!;
        Assert.Equal(head, (long)verification["entries"]!);
        var seqs = new List<long>();
        string? token = null;
        do
        {
            var page = await GetJsonAsync("/api/keel/v1/audit?max_results=50" + (token is null ? "" : "&page_token=" + token));
            seqs.AddRange(page["entries"]!.AsArray().Select(e => (long)e!["seq"]!));
            token = (string?)page["next_page_token"];
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), seqs);
        Assert.True(head >= 162, $"head {head}");
    }

    [Fact]
    public async Task AuditApi_HasNoRouteThatWrites()
    {
        var before = await GetJsonAsync("/api/keel/v1/audit/verify");
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            foreach (var path in new[] { "/api/keel/v1/audit", "/api/keel/v1/audit/1", "/api/keel/v1/audit/verify" })
            {
                var (response, _) = await SendAsync(method, path, "mallory", """{"seq": 1}""");
                Assert.True(response.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.Status}");
            }
        }

        var after = await GetJsonAsync("/api/keel/v1/audit/verify");
        Assert.True((bool)after["ok"]!);
        // The refused attempts are themselves recorded, after everything that was there before.
        Assert.True((long)after["entries"]! >= (long)before["entries"]! + 12);
    }

    [Fact]
    public async Task List_RejectsABadPageToken()
    {
        using var response = await server.Http.GetAsync("/api/keel/v1/audit?page_token=nope");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorCode"]!);
    }

    private async Task<(ApiResponse Response, string RequestId)> SendAsync(HttpMethod method, string path, string actor, string? body)
    {
        var requestId = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Keel-User", actor);
        request.Headers.Add("X-Request-Id", requestId);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return (new ApiResponse(response.StatusCode, json), requestId);
    }

    private async Task<List<JsonNode>> ListAsync(string query) =>
        [.. (await GetJsonAsync("/api/keel/v1/audit?max_results=1000&" + query))["entries"]!.AsArray().Select(e => e!)];

    private async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await server.Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Sha256(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}

public sealed class AuditTrailTestsOnSqlite(KeelServerFixture server) : AuditTrailTests(server), IClassFixture<KeelServerFixture>;

public sealed class AuditTrailTestsOnPostgres(PostgresKeelServerFixture server) : AuditTrailTests(server), IClassFixture<PostgresKeelServerFixture>;
