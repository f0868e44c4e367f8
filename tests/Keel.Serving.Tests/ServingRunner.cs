using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Client;
using Keel.Serving.Deployments;
using Keel.Serving.Models;
using Keel.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Keel.Serving.Tests;

/// <summary>
/// A real inference host on a loopback port, loading a registered model the way <c>keel serve</c> does: resolve the
/// models:/ URI with the client, download the package through the artifact proxy, load it.
/// </summary>
public sealed partial class ServingRunner : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _cache;
    private bool _stopped;

    private ServingRunner(WebApplication app, string cache)
    {
        _app = app;
        _cache = cache;
    }

    public HttpClient Http { get; private set; } = null!;

    internal static ModelSource FromRegistry(KeelServerFixture server, string modelUri, string cache, string? flavor = null) => async ct =>
    {
        using var client = new KeelClient(server.Http);
        var version = await client.ResolveModelUriAsync(modelUri, ct);
        var uri = await client.GetModelVersionDownloadUriAsync(version.Name, version.Version, ct);
        var directory = await new ModelPackageDownloader(server.Http, cache).DownloadAsync(version.Name, version.Version, uri, ct);
        return ModelLoader.Load(directory, version.Name, version.Version, flavor);
    };

    internal static Task<ServingRunner> StartAsync(
        KeelServerFixture server, string modelUri, string? flavor = null, Action<ServingOptions>? configure = null, bool log = true,
        params string[] hostArguments)
    {
        var cache = Directory.CreateTempSubdirectory("keel-serving-cache-").FullName;
        return StartAsync(FromRegistry(server, modelUri, cache, flavor), cache, o =>
        {
            o.PredictionLogUri = log ? server.BaseAddress : null;
            configure?.Invoke(o);
        }, hostArguments: hostArguments);
    }

    internal static Task<ServingRunner> StartAsync(
        ModelSource source, string cache, Action<ServingOptions> configure, bool waitUntilReady = true, params string[] hostArguments) =>
        StartAsync(async ct => new ServingTarget(await source(ct)), cache, configure, waitUntilReady, hostArguments);

    internal static async Task<ServingRunner> StartAsync(
        TargetSource source, string cache, Action<ServingOptions> configure, bool waitUntilReady = true, params string[] hostArguments)
    {
        var app = ServingHost.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning", .. hostArguments], source, configure);
        await app.StartAsync();
        var runner = new ServingRunner(app, cache)
        {
            Http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) },
        };
        if (waitUntilReady)
        {
            await runner.WaitUntilReadyAsync();
        }

        return runner;
    }

    /// <summary>A host following a deployment, as <c>keel serve --deployment</c> runs one, checking for revisions every 100 ms.</summary>
    internal static async Task<ServingRunner> FollowAsync(KeelServerFixture server, string deployment)
    {
        var cache = Directory.CreateTempSubdirectory("keel-serving-cache-").FullName;
        var client = new KeelClient(server.Http);
        VersionLoader load = async (name, version, ct) =>
        {
            var uri = await client.GetModelVersionDownloadUriAsync(name, version, ct);
            var directory = await new ModelPackageDownloader(server.Http, cache).DownloadAsync(name, version, uri, ct);
            return ModelLoader.Load(directory, name, version);
        };
        var follower = new DeploymentFollower(new HttpDeploymentSource(client, load), deployment, TimeSpan.FromSeconds(60));
        var app = ServingHost.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"], follower.LoadLatestAsync,
            o =>
            {
                o.PredictionLogUri = server.BaseAddress;
                o.TrafficUri = server.BaseAddress;
                o.FollowInterval = TimeSpan.FromMilliseconds(100);
            }, follower);
        await app.StartAsync();
        var runner = new ServingRunner(app, cache)
        {
            Http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) },
        };
        await runner.WaitUntilReadyAsync();
        return runner;
    }

    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await Http.GetAsync("/health")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            var error = _app.Services.GetRequiredService<ModelHost>().LoadError;
            if (error is not null)
            {
                throw new InvalidOperationException("The model did not load.", error);
            }

            Assert.True(DateTime.UtcNow < deadline, "The model did not load within 60 s.");
            await Task.Delay(20);
        }
    }

    /// <summary>A graceful stop: the web server drains its requests, then the prediction log drains its queue.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
    }

    /// <summary>The value of one Prometheus sample, such as <c>keel_serving_batch_rows_count{model="m",version="1"}</c>.</summary>
    public async Task<double> MetricAsync(string name, string? model = null)
    {
        var text = await Http.GetStringAsync("/metrics");
        var total = 0.0;
        foreach (Match match in Sample().Matches(text))
        {
            if (match.Groups["name"].Value == name && (model is null || match.Groups["labels"].Value.Contains($"model=\"{model}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_stopped)
        {
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
        KeelServerFixture.TryDelete(_cache);
    }
}
