using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>The tracking server's prediction-log API, as serving hosts and monitoring call it.</summary>
public abstract class PredictionLogApiTests(KeelServerFixture server)
{
    private const string Route = "/api/keel/v1/predictions";

    private static object Prediction(string id, string model, long version = 1) => new
    {
        prediction_id = id,
        model_name = model,
        model_version = version,
        inputs = new { x = 1.5 },
        outputs = new { y = 0.25 },
        latency_micros = 120,
        time = 1_700_000_000_000,
    };

    [Fact]
    public async Task ResentBatch_AddsNothingTwice_AndPagesInWriteOrder()
    {
        var model = "log-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7().ToString()).ToList();
        var batch = new { predictions = ids.Select(id => Prediction(id, model)) };

        var first = await (await server.Http.PostAsJsonAsync(Route, batch)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var again = await (await server.Http.PostAsJsonAsync(Route, batch)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        var page1 = (await server.Http.GetFromJsonAsync<JsonObject>($"{Route}?model={model}&max_results=3"))!;
        var page2 = (await server.Http.GetFromJsonAsync<JsonObject>($"{Route}?model={model}&max_results=3&after={(long)page1["next_after"]!}"))!;

        Assert.Equal(5, (int)first!["added"]!);
        Assert.Equal(0, (int)(again!["added"] ?? 0));
        var read = page1["predictions"]!.AsArray().Concat(page2["predictions"]!.AsArray()).ToList();
        Assert.Equal(ids, read.Select(p => (string)p!["prediction_id"]!));
        Assert.Null(page2["next_after"]);
        Assert.Equal(1.5, (double)read[0]!["inputs"]!["x"]!);
    }

    [Fact]
    public async Task BadBatch_Is400ProblemDetails_AndStoresNothingOfIt()
    {
        var model = "log-" + Guid.NewGuid().ToString("N")[..8];
        var good = Prediction(Guid.NewGuid().ToString(), model);
        var bad = new { prediction_id = "not-a-uuid", model_name = model, model_version = 1, inputs = new { }, outputs = new { }, time = 1 };

        using var response = await server.Http.PostAsJsonAsync(Route, new { predictions = new[] { good, bad } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("INVALID_PARAMETER_VALUE", (string)problem["errorCode"]!);
        Assert.Contains("predictions[1].prediction_id", (string)problem["detail"]!, StringComparison.Ordinal);
        var stored = (await server.Http.GetFromJsonAsync<JsonObject>($"{Route}?model={model}"))!;
        Assert.Null(stored["predictions"]);
    }
}

public sealed class PredictionLogApiTestsOnSqlite(KeelServerFixture server) : PredictionLogApiTests(server), IClassFixture<KeelServerFixture>;

public sealed class PredictionLogApiTestsOnPostgres(PostgresKeelServerFixture server) : PredictionLogApiTests(server), IClassFixture<PostgresKeelServerFixture>;
