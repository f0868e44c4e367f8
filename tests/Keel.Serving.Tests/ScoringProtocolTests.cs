using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Client.ML.Tests;
using Keel.Testing;

namespace Keel.Serving.Tests;

/// <summary>MLflow's scoring protocol against a served model: every input format, CSV, and signature violations.</summary>
public abstract class ScoringProtocolTests(KeelServerFixture server)
{
    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static object Record(TinyModel.Row r) => new { r.Distance, r.Hour, r.Origin };

    private async Task<(ServedTinyModel Model, ServingRunner Host)> ServeAsync(bool tensors = false, string? flavor = null)
    {
        var model = await ServedTinyModel.OnAsync(server);
        var host = await ServingRunner.StartAsync(server, $"models:/{(tensors ? model.TensorModel : model.ColumnModel)}@champion", flavor, log: false);
        return (model, host);
    }

    private static async Task<JsonNode> PostAsync(ServingRunner host, string body, string contentType = "application/json", HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await host.Http.PostAsync("/invocations", new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    // ONNX Runtime and ML.NET sum the same terms in a different order: equal to float precision, not always to the bit.
    private const float OnnxTolerance = 1e-5f;

    private static void AssertScores(float[] expected, JsonNode response, float tolerance = OnnxTolerance)
    {
        var predictions = response["predictions"]!.AsArray();
        Assert.Equal(expected.Length, predictions.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], predictions[i]!["Score"]!.GetValue<float>(), tolerance);
            Assert.Equal(expected[i] > 0, predictions[i]!["PredictedLabel"]!.GetValue<bool>());
            Assert.InRange(predictions[i]!["Probability"]!.GetValue<float>(), 0f, 1f);
        }
    }

    [Fact]
    public async Task DataframeSplit_AnswersOneRecordPerRow_WithTheModelsOwnScores()
    {
        var (model, host) = await ServeAsync();
        await using var running = host;
        var rows = model.Tiny.Samples;
        var body = Json(new
        {
            dataframe_split = new
            {
                columns = new[] { "Distance", "Hour", "Origin" },
                data = rows.Select(r => new object[] { r.Distance, r.Hour, r.Origin }),
            },
        });

        AssertScores(model.ExpectedScores(rows), await PostAsync(host, body));
    }

    [Fact]
    public async Task DataframeRecords_AnswersWithTheModelsOwnScores()
    {
        var (model, host) = await ServeAsync();
        await using var running = host;
        var rows = model.Tiny.Samples;

        AssertScores(model.ExpectedScores(rows), await PostAsync(host, Json(new { dataframe_records = rows.Select(Record) })));
    }

    [Fact]
    public async Task InstancesAsRecords_AndInputsAsColumns_AnswerTheSame()
    {
        var (model, host) = await ServeAsync();
        await using var running = host;
        var rows = model.Tiny.Samples;
        var expected = model.ExpectedScores(rows);

        AssertScores(expected, await PostAsync(host, Json(new { instances = rows.Select(Record) })));
        AssertScores(expected, await PostAsync(host, Json(new
        {
            inputs = new { Distance = rows.Select(r => r.Distance), Hour = rows.Select(r => r.Hour), Origin = rows.Select(r => r.Origin) },
        })));
    }

    [Fact]
    public async Task Csv_WithAHeaderRow_AnswersWithTheModelsOwnScores()
    {
        var (model, host) = await ServeAsync();
        await using var running = host;
        var rows = model.Tiny.Samples;
        var csv = "\uFEFFOrigin,Distance,Hour\n" + string.Concat(rows.Select(r =>
            $"\"{r.Origin}\",{r.Distance.ToString(CultureInfo.InvariantCulture)},{r.Hour.ToString(CultureInfo.InvariantCulture)}\r\n"));

        AssertScores(model.ExpectedScores(rows), await PostAsync(host, csv, "text/csv"));
    }

    [Fact]
    public async Task MlNetFlavor_ServesTheSameScoresAsOnnx()
    {
        var (model, host) = await ServeAsync(flavor: "mlnet");
        await using var running = host;
        var rows = model.Tiny.Samples;

        AssertScores(model.ExpectedScores(rows), await PostAsync(host, Json(new { dataframe_records = rows.Select(Record) })), tolerance: 0);
    }

    [Fact]
    public async Task Response_CarriesAPredictionIdPerRow_AndTheModelVersion()
    {
        var (model, host) = await ServeAsync();
        await using var running = host;
        var body = Json(new { dataframe_records = model.Tiny.Samples.Take(3).Select(Record) });

        using var response = await host.Http.PostAsync("/invocations", new StringContent(body, Encoding.UTF8, "application/json"));

        response.EnsureSuccessStatusCode();
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Keel-Model-Version")));
        var ids = Assert.Single(response.Headers.GetValues("X-Keel-Prediction-Id")).Split(',');
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _), id));
    }

    [Fact]
    public async Task MissingRequiredColumn_Is400_NamingTheColumn()
    {
        var (_, host) = await ServeAsync();
        await using var running = host;

        var error = await PostAsync(host, Json(new { dataframe_records = new[] { new { Distance = 100f, Origin = "ORD" } } }), expected: HttpStatusCode.BadRequest);

        Assert.Equal("BAD_REQUEST", (string)error["error_code"]!);
        Assert.Contains("'Hour'", (string)error["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongType_Is400_NamingTheColumnAndRow()
    {
        var (_, host) = await ServeAsync();
        await using var running = host;
        var body = Json(new { dataframe_split = new { columns = new[] { "Distance", "Hour", "Origin" }, data = new object[][] { [100, 5, "ORD"], ["far", 5, "SEA"] } } });

        var error = await PostAsync(host, body, expected: HttpStatusCode.BadRequest);

        var message = (string)error["message"]!;
        Assert.Contains("'Distance'", message, StringComparison.Ordinal);
        Assert.Contains("row 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownColumn_And_CsvTypeErrors_Are400_NamingTheField()
    {
        var (_, host) = await ServeAsync();
        await using var running = host;

        var unknown = await PostAsync(host, Json(new { dataframe_records = new[] { new { Distance = 1f, Hour = 2f, Origin = "ORD", Altitude = 3f } } }), expected: HttpStatusCode.BadRequest);
        var csv = await PostAsync(host, "Distance,Hour,Origin\n100,noon,ORD\n", "text/csv", HttpStatusCode.BadRequest);

        Assert.Contains("'Altitude'", (string)unknown["message"]!, StringComparison.Ordinal);
        Assert.Contains("'Hour'", (string)csv["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsupportedContentType_Is415_AndMalformedJsonIs400()
    {
        var (_, host) = await ServeAsync();
        await using var running = host;

        var unsupported = await PostAsync(host, "<rows/>", "application/xml", HttpStatusCode.UnsupportedMediaType);
        var malformed = await PostAsync(host, "{\"dataframe_records\": [", expected: HttpStatusCode.BadRequest);
        var noFormat = await PostAsync(host, "{\"rows\": []}", expected: HttpStatusCode.BadRequest);

        Assert.Contains("text/csv", (string)unsupported["message"]!, StringComparison.Ordinal);
        Assert.Equal("BAD_REQUEST", (string)malformed["error_code"]!);
        Assert.Contains("'rows'", (string)noFormat["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TensorModel_TakesInputsAsTensors_AndRefusesAWrongShapeNamingTheInput()
    {
        var (model, host) = await ServeAsync(tensors: true);
        await using var running = host;
        var rows = model.Tiny.Samples;
        var tensors = new
        {
            Distance = rows.Select(r => new[] { r.Distance }),
            Hour = rows.Select(r => new[] { r.Hour }),
            Origin = rows.Select(r => new[] { r.Origin }),
            Label = rows.Select(r => new[] { r.Label }),
        };

        var answer = await PostAsync(host, Json(new { inputs = tensors }));
        var flat = new { Distance = rows.Select(r => r.Distance), tensors.Hour, tensors.Origin, tensors.Label };
        var wrongShape = await PostAsync(host, Json(new { inputs = flat }), expected: HttpStatusCode.BadRequest);

        var scores = answer["predictions"]!["Score.output"]!.AsArray().Select(s => s!.GetValue<float>()).ToArray();
        Assert.Equal(model.ExpectedScores(rows), scores, (a, b) => Math.Abs(a - b) <= OnnxTolerance * Math.Max(1, Math.Abs(a)));
        Assert.Contains("'Distance'", (string)wrongShape["message"]!, StringComparison.Ordinal);
        Assert.Contains("shape", (string)wrongShape["message"]!, StringComparison.Ordinal);
    }
}

public sealed class ScoringProtocolTestsOnSqlite(KeelServerFixture server) : ScoringProtocolTests(server), IClassFixture<KeelServerFixture>;

public sealed class ScoringProtocolTestsOnPostgres(PostgresKeelServerFixture server) : ScoringProtocolTests(server), IClassFixture<PostgresKeelServerFixture>;
