using System.Globalization;
using System.Net.Http.Json;
using Keel.Client;
using Spectre.Console;

namespace Keel.Cli.Demo;

internal sealed partial class DemoRunner
{
    public const string DeploymentName = "flights-delay";
    public const int BaselineRequests = 300;
    public const int CanaryRequests = 500;
    public const int CanaryPercent = 20;
    public const int RollbackRequests = 100;

    /// <summary>
    /// Deploys the champion on the server (served in-process at /deployments/{name}/invocations), sends held-out flights
    /// to it, starts a canary of the runner-up at <see cref="CanaryPercent"/>%, shows the measured split, rolls back
    /// and shows that only the champion answers.
    /// </summary>
    public async Task ServeAsync(IReadOnlyList<(string RunId, TrainingResult Result)> results, ModelVersion champion, CancellationToken ct)
    {
        var runnerUp = results.OrderByDescending(r => r.Result.Validation.Auc).Skip(1).First();
        using var http = new HttpClient { BaseAddress = client.BaseAddress };
        _logged = await CountLoggedAsync(http, ct);
        var canary = await client.CreateModelVersionAsync(ModelName, $"runs:/{runnerUp.RunId}/model", runnerUp.RunId,
            description: $"FastTree {runnerUp.Result.Configuration.Name}, validation AUC {runnerUp.Result.Validation.Auc:F4} (runner-up)", cancellationToken: ct);
        await ShowRefusedPromotionAsync(canary, ct);
        var deployment = await DeployChampionAsync(ct);
        console.MarkupLine($"[bold]4. Deploy[/]  deployment '{DeploymentName}' revision {deployment.Latest.Revision} serves models:/{ModelName}@{ChampionAlias} " +
            $"(version {champion.Version}) at {client.BaseAddress}deployments/{DeploymentName}/invocations");

        var heldOut = FlightsData.Load(FlightsSample.TrainingMonthPath).Split().Validation;
        var baseline = await SendAsync(http, heldOut, 0, BaselineRequests, ct);
        console.MarkupLine($"   {BaselineRequests} held-out flights scored: {Split(baseline)}");

        deployment = await client.Deployments.SetCanaryAsync(DeploymentName, new DeploymentCanary($"models:/{ModelName}/{canary.Version}", CanaryPercent), ct);
        await UntilLiveAsync(deployment.Latest.Revision, ct);
        var split = await SendAsync(http, heldOut, BaselineRequests, CanaryRequests, ct);
        console.MarkupLine($"[bold]5. Canary[/]  version {canary.Version} (runner-up, {runnerUp.Result.Configuration.Name}) at {CanaryPercent}% " +
            $"(revision {deployment.Latest.Revision}); {CanaryRequests} requests, split by X-Keel-Request-Key: {Split(split)}");

        deployment = await client.Deployments.RollbackAsync(DeploymentName, cancellationToken: ct);
        await UntilLiveAsync(deployment.Latest.Revision, ct);
        var after = await SendAsync(http, heldOut, BaselineRequests + CanaryRequests, RollbackRequests, ct);
        console.MarkupLine($"[bold]6. Rollback[/]  revision {deployment.Latest.Revision} ({deployment.Latest.Cause}, serving {deployment.Latest.Model}); " +
            $"{RollbackRequests} requests: {Split(after)}");
        console.MarkupLine($"   History: ./keel deploy history {DeploymentName}    Predictions: GET /api/keel/v1/predictions?model={ModelName}");
    }

    /// <summary>Creates the deployment, or on a server that has one from an earlier demo, points it back at the champion alone.</summary>
    private async Task<Deployment> DeployChampionAsync(CancellationToken ct)
    {
        var uri = $"models:/{ModelName}@{ChampionAlias}";
        Deployment deployment;
        try
        {
            deployment = await client.Deployments.CreateAsync(DeploymentName, uri, cancellationToken: ct);
        }
        catch (KeelApiException e) when (e.ErrorCode == KeelErrorCodes.ResourceAlreadyExists)
        {
            deployment = await client.Deployments.GetAsync(DeploymentName, ct);
            if (deployment.Latest.Model != uri)
            {
                deployment = await client.Deployments.SetModelAsync(DeploymentName, uri, ct);
            }

            if (deployment.Latest.Canary is not null)
            {
                deployment = await client.Deployments.SetCanaryAsync(DeploymentName, null, ct);
            }
        }

        await UntilLiveAsync(deployment.Latest.Revision, ct, firstRequest: true);
        return deployment;
    }

    /// <summary>
    /// Waits until the server answers with the revision: it reports a revision LIVE once it has swapped to it. A
    /// deployment loads on its first request, so <paramref name="firstRequest"/> sends one.
    /// </summary>
    private async Task UntilLiveAsync(long revision, CancellationToken ct, bool firstRequest = false)
    {
        if (firstRequest)
        {
            using var http = new HttpClient { BaseAddress = client.BaseAddress };
            using var first = await InvokeAsync(http, FlightsData.Load(FlightsSample.TrainingMonthPath).Split().Validation[0], null, ct);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.Deployments.ListRevisionsAsync(DeploymentName, ct)).First(r => r.Revision == revision).Status != "LIVE")
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The server did not report revision {revision} of {DeploymentName} LIVE within 60 s.");
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>Sends held-out flights one request each, keyed by flight so a replay splits the same way; counts answers per version.</summary>
    private async Task<SortedDictionary<string, int>> SendAsync(HttpClient http, IReadOnlyList<FlightRecord> flights, int from, int count, CancellationToken ct)
    {
        var versions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = from; i < from + count; i++)
        {
            using var response = await InvokeAsync(http, flights[i % flights.Count], "flight-" + i.ToString(CultureInfo.InvariantCulture), ct);
            var version = response.Headers.GetValues("X-Keel-Model-Version").Single();
            versions[version] = versions.GetValueOrDefault(version) + 1;
        }

        return versions;
    }

    /// <summary>Scores one flight; every answered request is one more row in the deployment's prediction log.</summary>
    private async Task<HttpResponseMessage> InvokeAsync(HttpClient http, FlightRecord flight, string? requestKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"deployments/{DeploymentName}/invocations") { Content = JsonContent.Create(Body(flight)) };
        if (requestKey is not null)
        {
            request.Headers.Add("X-Keel-Request-Key", requestKey);
        }

        var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new KeelApiException("INTERNAL_ERROR", $"The deployment answered {(int)response.StatusCode}: {body}", response.StatusCode);
        }

        _logged++;
        return response;
    }

    private static Dictionary<string, object> Body(FlightRecord flight)
    {
        var input = FlightInput.From(flight);
        return new Dictionary<string, object>
        {
            ["dataframe_records"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["Hour"] = input.Hour, ["DayOfWeek"] = input.DayOfWeek, ["Distance"] = input.Distance,
                    ["Origin"] = input.Origin, ["Destination"] = input.Destination, ["Label"] = input.Label,
                },
            },
        };
    }

    private static string Split(SortedDictionary<string, int> versions)
    {
        var total = versions.Values.Sum();
        return string.Join(", ", versions.Select(v => $"version {v.Key} answered {v.Value} ({100.0 * v.Value / total:F0}%)"));
    }
}
