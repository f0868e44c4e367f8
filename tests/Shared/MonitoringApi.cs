using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Client;

namespace Keel.Testing;

/// <summary>
/// The calls the monitoring tests make, over real HTTP. Tables are built from evenly spaced quantiles rather than
/// random draws, so "the same distribution" is the same to every test and no verdict depends on a seed.
/// </summary>
public sealed class MonitoringApi(HttpClient http)
{
    public const int ReferenceRows = 300;

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A data version whose table has x uniform on [0, 1), y uniform on [10, 20), color cycling red/green/blue, and a label.</summary>
    public async Task<string> AddReferenceAsync()
    {
        var name = Unique("ref");
        var directory = Directory.CreateTempSubdirectory("keel-monitor-ref-").FullName;
        try
        {
            var csv = new StringBuilder("x,y,color,label\n");
            for (var i = 0; i < ReferenceRows; i++)
            {
                var (x, y, color) = Row(i, ReferenceRows, 0);
                csv.Append(CultureInfo.InvariantCulture, $"{x},{y},{color},{i % 2}\n");
            }

            await File.WriteAllTextAsync(Path.Combine(directory, "reference.csv"), csv.ToString());
            using var client = new KeelClient(http);
            client.Data.CacheDirectory = Path.Combine(directory, "cache");
            var added = await client.Data.AddAsync(Path.Combine(directory, "reference.csv"), name);
            return $"data:/{name}@{added.Version.Version}";
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Row i of n: x shifted by <paramref name="shift"/>, the rest as in the reference.</summary>
    public static (double X, double Y, string Color) Row(int i, int n, double shift)
    {
        var q = (i + 0.5) / n;
        return (Math.Round(q + shift, 6), Math.Round(10 + (10 * ((q * 7) % 1)), 6), (i % 3) switch { 0 => "red", 1 => "green", _ => "blue" });
    }

    /// <summary>Predictions of a model served elsewhere, sent to the deployment's external endpoint; returns their ids.</summary>
    public async Task<List<string>> SendPredictionsAsync(string deployment, int n, double shift, long? time = null, string model = "ext-model")
    {
        var ids = Enumerable.Range(0, n).Select(_ => Guid.CreateVersion7().ToString()).ToList();
        var rows = ids.Select((id, i) =>
        {
            var (x, y, color) = Row(i, n, shift);
            return new
            {
                prediction_id = id,
                model_name = model,
                model_version = 1,
                inputs = new { x, y, color },
                outputs = new { prediction = x > 0.5 ? 1 : 0, score = x },
                time = time ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            };
        });
        var response = await http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/predictions", new { predictions = rows });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ids;
    }

    public async Task<JsonNode> CreateMonitorAsync(object body)
    {
        var response = await http.PostAsJsonAsync("/api/keel/v1/monitors", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["monitor"]!;
    }

    public async Task<JsonNode> EvaluateAsync(string monitor)
    {
        var response = await http.PostAsync($"/api/keel/v1/monitors/{monitor}/evaluate", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async Task<JsonNode> ReportAsync(string monitor, long window) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/keel/v1/monitors/{monitor}/reports/{window}"))!["report"]!;

    public async Task<JsonNode> FeedbackAsync(string deployment, object labels)
    {
        var response = await http.PostAsJsonAsync($"/api/keel/v1/deployments/{deployment}/feedback", new { labels });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async Task<JsonArray> AlertsAsync(string monitor, string? status = null) =>
        JsonNode.Parse(await http.GetStringAsync($"/api/keel/v1/alerts?monitor={monitor}" + (status is null ? "" : "&status=" + status)))!["alerts"]?.AsArray() ?? [];

    /// <summary>Drifted per column of a report's feature drift.</summary>
    public static Dictionary<string, bool?> Verdicts(JsonNode report) =>
        report["report"]!["drift"]!["columns"]!.AsArray().ToDictionary(c => (string)c!["column"]!, c => (bool?)c!["drifted"]);
}
