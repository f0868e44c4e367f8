using static Keel.Server.Tests.Infrastructure.WebhookApi;

namespace Keel.Server.Tests;

/// <summary>MLflow's webhooks API, field by field and error by error.</summary>
public abstract class WebhookEndpointTests(KeelServerFixture server)
{
    private readonly MlflowApi _api = new(server.Http);

    [Fact]
    public async Task Create_ReturnsTheWebhook_InMlflowShape_WithoutTheSecret()
    {
        var response = await _api.PostAsync("/webhooks", new
        {
            name = "deploy",
            description = "tells CD",
            url = "https://ci.example.com/hook",
            events = new[] { Event("model_version", "created"), Event("model_version_alias", "created") },
            secret = "s3cr3t-value",
        });

        var webhook = response.Ok().Json["webhook"]!;
        Assert.Matches("^[0-9a-f]{32}$", (string)webhook["webhook_id"]!);
        Assert.Equal("deploy", (string)webhook["name"]!);
        Assert.Equal("tells CD", (string)webhook["description"]!);
        Assert.Equal("https://ci.example.com/hook", (string)webhook["url"]!);
        Assert.Equal("ACTIVE", (string)webhook["status"]!);
        Assert.Equal(
            "[{\"entity\":\"MODEL_VERSION\",\"action\":\"CREATED\"},{\"entity\":\"MODEL_VERSION_ALIAS\",\"action\":\"CREATED\"}]",
            webhook["events"]!.ToJsonString());
        Assert.True((long)webhook["creation_timestamp"]! > 0);
        Assert.Equal((long)webhook["creation_timestamp"]!, (long)webhook["last_updated_timestamp"]!);

        var id = (string)webhook["webhook_id"]!;
        foreach (var text in new[]
        {
            response.Json.ToJsonString(),
            (await _api.GetAsync($"/webhooks/{id}")).Ok().Json.ToJsonString(),
            (await _api.GetAsync("/webhooks?max_results=1000")).Ok().Json.ToJsonString(),
            (await _api.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", new { secret = "another-secret" })).Ok().Json.ToJsonString(),
        })
        {
            Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Create_AcceptsProtoEnumNamesAndNumbers_AndAnInitialStatus()
    {
        var webhook = (await _api.PostAsync("/webhooks", new
        {
            name = "enums",
            url = "http://127.0.0.1:1/hook",
            events = new object[] { Event("MODEL_VERSION_TAG", "SET"), new { entity = 4, action = 3 } },
            status = "DISABLED",
        })).Ok().Json["webhook"]!;

        Assert.Equal("DISABLED", (string)webhook["status"]!);
        Assert.Equal(
            "[{\"entity\":\"MODEL_VERSION_ALIAS\",\"action\":\"DELETED\"},{\"entity\":\"MODEL_VERSION_TAG\",\"action\":\"SET\"}]",
            webhook["events"]!.ToJsonString());
    }

    [Fact]
    public async Task Create_AcceptsKeelOnlyEvents_ByTheirEntityAndAction()
    {
        var webhook = await _api.CreateWebhookAsync("http://127.0.0.1:1/hook",
            [Event("registered_model", "deleted"), Event("model_version", "transitioned_stage"), Event("registered_model_tag", "set")]);

        Assert.Equal(3, webhook["events"]!.AsArray().Count);
        Assert.Contains(webhook["events"]!.AsArray(), e => (string)e!["action"]! == "TRANSITIONED_STAGE");
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("file:///etc/passwd")]
    public async Task Create_WithABadUrl_ReturnsInvalidParameterValue(string url)
    {
        var response = await _api.PostAsync("/webhooks", new { name = "bad", url, events = new[] { Event("model_version", "created") } });

        Assert.Contains("http", response.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithAnUnknownEvent_NamesTheValidOnes()
    {
        var badAction = await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h", events = new[] { Event("model_version", "exploded") } });
        var message = badAction.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("Invalid action 'exploded' for entity 'model_version'", message, StringComparison.Ordinal);
        Assert.Contains("'created'", message, StringComparison.Ordinal);

        var badEntity = await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h", events = new[] { Event("experiment", "created") } });
        Assert.Contains("entity 'experiment'", badEntity.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);

        var badNumber = await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h", events = new[] { new { entity = 99, action = 1 } } });
        badNumber.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Create_WithoutRequiredFields_ReturnsInvalidParameterValue()
    {
        var events = new[] { Event("model_version", "created") };
        Assert.Contains("'name'", (await _api.PostAsync("/webhooks", new { url = "https://a.example/h", events })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Contains("'url'", (await _api.PostAsync("/webhooks", new { name = "x", events })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Contains("'events'", (await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        (await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h", events = Array.Empty<object>() })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.PostAsync("/webhooks", new { name = "x", url = "https://a.example/h", events, status = "SLEEPING" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task UnknownId_IsResourceDoesNotExist_OnEveryRoute()
    {
        const string id = "0123456789abcdef0123456789abcdef";
        var answers = new[]
        {
            await _api.GetAsync($"/webhooks/{id}"),
            await _api.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", new { name = "n" }),
            await _api.SendAsync(HttpMethod.Delete, $"/webhooks/{id}", new { }),
            await _api.PostAsync($"/webhooks/{id}/test", new { }),
        };

        foreach (var answer in answers)
        {
            Assert.Equal($"Webhook with ID {id} not found.", answer.Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST"));
        }

        using var log = await server.Http.GetAsync($"/api/keel/v1/webhooks/{id}/deliveries");
        Assert.Equal(HttpStatusCode.NotFound, log.StatusCode);
        Assert.Equal("application/problem+json", log.Content.Headers.ContentType?.MediaType);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string)JsonNode.Parse(await log.Content.ReadAsStringAsync())!["errorCode"]!);
    }

    [Fact]
    public async Task Update_ChangesOnlyTheFieldsGiven()
    {
        var created = await _api.CreateWebhookAsync("https://a.example/h", [Event("model_version", "created")], name: "before");
        var id = (string)created["webhook_id"]!;
        await Task.Delay(5);

        var updated = (await _api.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", new
        {
            status = "DISABLED",
            events = new[] { Event("model_version_tag", "deleted") },
        })).Ok().Json["webhook"]!;

        Assert.Equal("before", (string)updated["name"]!);
        Assert.Equal("https://a.example/h", (string)updated["url"]!);
        Assert.Equal("DISABLED", (string)updated["status"]!);
        Assert.Equal("[{\"entity\":\"MODEL_VERSION_TAG\",\"action\":\"DELETED\"}]", updated["events"]!.ToJsonString());
        Assert.True((long)updated["last_updated_timestamp"]! > (long)created["last_updated_timestamp"]!);
        Assert.Equal(updated.ToJsonString(), (await _api.GetAsync($"/webhooks/{id}")).Ok().Json["webhook"]!.ToJsonString());

        (await _api.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", new { url = "gopher://x" })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.SendAsync(HttpMethod.Patch, $"/webhooks/{id}", new { events = new[] { Event("model_version", "nope") } })).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Delete_RemovesTheWebhook()
    {
        var id = (string)(await _api.CreateWebhookAsync("https://a.example/h", [Event("model_version", "created")]))["webhook_id"]!;

        Assert.Equal("{}", (await _api.SendAsync(HttpMethod.Delete, $"/webhooks/{id}", new { })).Ok().Json.ToJsonString());

        (await _api.GetAsync($"/webhooks/{id}")).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await _api.SendAsync(HttpMethod.Delete, $"/webhooks/{id}", new { })).Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task List_PagesThroughEveryWebhook_NewestFirst()
    {
        var mine = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add((string)(await _api.CreateWebhookAsync("https://a.example/h", [Event("model_version", "created")]))["webhook_id"]!);
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = (await _api.GetAsync("/webhooks?max_results=2" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)))).Ok().Json;
            var items = page["webhooks"]?.AsArray() ?? [];
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(w => (string)w!["webhook_id"]!));
            token = (string?)page["next_page_token"];
        }
        while (token is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var order = seen.Where(mine.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(mine), order);

        (await _api.GetAsync("/webhooks?max_results=0")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.GetAsync("/webhooks?max_results=5000")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        (await _api.GetAsync("/webhooks?page_token=garbage!")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task TheAjaxPrefix_ServesTheSameWebhooks()
    {
        var id = (string)(await _api.CreateWebhookAsync("https://a.example/h", [Event("model_version", "created")]))["webhook_id"]!;

        var body = JsonNode.Parse(await server.Http.GetStringAsync($"/ajax-api/2.0/mlflow/webhooks/{id}"))!;

        Assert.Equal(id, (string)body["webhook"]!["webhook_id"]!);
    }

    [Fact]
    public async Task Test_SendsASignedExamplePayload_AndReportsTheAnswer()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = (string)(await _api.CreateWebhookAsync(receiver.Url, [Event("model_version", "created"), Event("model_version_alias", "deleted")], secret: "shh"))["webhook_id"]!;

        var result = (await _api.PostAsync($"/webhooks/{id}/test", new { })).Ok().Json["result"]!;

        Assert.True((bool)result["success"]!);
        Assert.Equal(200, (int)result["response_status"]!);
        Assert.Equal("ok", (string)result["response_body"]!);
        var sent = Assert.Single(receiver.Received);
        Assert.True(sent.SignatureIsValid("shh"));
        Assert.Equal("application/json", sent.Header("Content-Type"));
        Assert.Equal("model_version", (string)sent.Json["entity"]!);
        Assert.Equal("created", (string)sent.Json["action"]!);
        Assert.Equal("example_model", (string)sent.Json["data"]!["name"]!);

        var chosen = (await _api.PostAsync($"/webhooks/{id}/test", new { @event = Event("MODEL_VERSION_ALIAS", "DELETED") })).Ok().Json["result"]!;
        Assert.True((bool)chosen["success"]!);
        Assert.Equal("deleted", (string)receiver.Received.Last().Json["action"]!);
        Assert.Empty(await DeliveriesAsync(server.Http, id));
    }

    [Fact]
    public async Task Test_ReportsAFailingOrUnreachableReceiver()
    {
        await using var failing = await WebhookReceiver.StartAsync(_ => 503);
        var failingId = (string)(await _api.CreateWebhookAsync(failing.Url, [Event("model_version", "created")]))["webhook_id"]!;
        var closedId = (string)(await _api.CreateWebhookAsync(LoopbackUrl(), [Event("model_version", "created")]))["webhook_id"]!;

        var failed = (await _api.PostAsync($"/webhooks/{failingId}/test", new { })).Ok().Json["result"]!;
        var unreachable = (await _api.PostAsync($"/webhooks/{closedId}/test", new { })).Ok().Json["result"]!;

        Assert.False((bool)failed["success"]!);
        Assert.Equal(503, (int)failed["response_status"]!);
        Assert.False((bool)unreachable["success"]!);
        Assert.Null(unreachable["response_status"]);
        Assert.False(string.IsNullOrEmpty((string?)unreachable["error_message"]));
    }

    /// <summary>A loopback URL nothing listens on.</summary>
    internal static string LoopbackUrl()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return $"http://127.0.0.1:{port}/hook";
    }
}

public sealed class WebhookEndpointTestsOnSqlite(WebhookServerFixture server) : WebhookEndpointTests(server), IClassFixture<WebhookServerFixture>;

public sealed class WebhookEndpointTestsOnPostgres(PostgresWebhookServerFixture server) : WebhookEndpointTests(server), IClassFixture<PostgresWebhookServerFixture>;
