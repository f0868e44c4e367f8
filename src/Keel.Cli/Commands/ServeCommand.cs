using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Keel.Serving;
using Keel.Serving.Deployments;
using Keel.Serving.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>
/// <c>keel serve --model models:/name@alias [--port 8080]</c>: resolves the version through the tracking server,
/// downloads its package to a cache, and serves it with MLflow's scoring protocol, logging every prediction.
/// <c>keel serve --deployment NAME</c> serves a deployment instead and follows its revisions.
/// </summary>
internal sealed class ServeCommand : KeelCommand
{
    private static readonly Option<string?> Model = new("--model", "-m")
    {
        Description = "The model to serve: models:/name@alias, models:/name/VERSION, models:/name/Stage or models:/name/latest.",
    };

    private static readonly Option<string?> Deployment = new("--deployment", "-d")
    {
        Description = "Serve a deployment (keel deploy create) and follow its revisions: new models load before they answer.",
    };

    private static readonly Option<double> PollInterval = new("--poll-interval")
    {
        Description = "Seconds between checks of the deployment for a new revision.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string> Host = new("--host") { Description = "The address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };

    private static readonly Option<int> Port = new("--port", "-p") { Description = "The port to listen on (0 picks a free one).", DefaultValueFactory = _ => 8080 };

    private static readonly Option<int> MaxBatch = new("--max-batch")
    {
        Description = "The most rows one model call takes when concurrent requests are coalesced.",
        DefaultValueFactory = _ => 64,
    };

    private static readonly Option<double> MaxDelay = new("--max-delay")
    {
        Description = "Milliseconds the first request of a batch may wait for others already arriving.",
        DefaultValueFactory = _ => 2,
    };

    private static readonly Option<string?> Flavor = new("--flavor") { Description = "Load this flavor (onnx or mlnet); by default onnx when the package has it." };

    private static readonly Option<string?> CacheDir = new("--cache-dir") { Description = "Where downloaded packages are kept. Defaults to ~/.cache/keel/models." };

    private static readonly Option<bool> NoLog = new("--no-prediction-log") { Description = "Do not write predictions to the tracking server's prediction log." };

    public ServeCommand()
        : base("serve", "Serve a registered model over HTTP with MLflow's scoring protocol (POST /invocations), /health and /metrics.")
    {
        Options.Add(Model);
        Options.Add(Deployment);
        Options.Add(PollInterval);
        Options.Add(Host);
        Options.Add(Port);
        Options.Add(MaxBatch);
        Options.Add(MaxDelay);
        Options.Add(Flavor);
        Options.Add(CacheDir);
        Options.Add(NoLog);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, KeelClient client, CliOutput output, CancellationToken cancellationToken)
    {
        var maxBatch = parseResult.GetValue(MaxBatch);
        var maxDelay = parseResult.GetValue(MaxDelay);
        if (maxBatch < 1 || maxDelay < 0 || !double.IsFinite(maxDelay))
        {
            output.Error("--max-batch must be at least 1 and --max-delay a number of milliseconds, 0 or more.");
            return ExitCodes.InvalidArguments;
        }

        var flavor = parseResult.GetValue(Flavor);
        if (flavor is not (null or "onnx" or "mlnet"))
        {
            output.Error($"--flavor must be onnx or mlnet, not '{flavor}'.");
            return ExitCodes.InvalidArguments;
        }

        var modelUri = parseResult.GetValue(Model);
        var deploymentName = parseResult.GetValue(Deployment);
        var poll = parseResult.GetValue(PollInterval);
        if (modelUri is null == deploymentName is null)
        {
            output.Error("Give either --model URI or --deployment NAME.");
            return ExitCodes.InvalidArguments;
        }

        if (poll <= 0 || !double.IsFinite(poll))
        {
            output.Error("--poll-interval must be a positive number of seconds.");
            return ExitCodes.InvalidArguments;
        }

        var cache = parseResult.GetValue(CacheDir)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keel", "models");
        var downloads = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        downloads.DefaultRequestHeaders.Authorization = TrackingCredentials.FromEnvironment();
        VersionLoader load = async (name, version, ct) =>
        {
            var uri = await client.GetModelVersionDownloadUriAsync(name, version, ct);
            var directory = await new ModelPackageDownloader(downloads, cache).DownloadAsync(name, version, uri, ct);
            return ModelLoader.Load(directory, name, version, flavor);
        };

        // Resolving first turns a wrong name, alias or deployment into a one-line error before anything listens.
        string what;
        TargetSource source;
        DeploymentFollower? follower = null;
        if (deploymentName is not null)
        {
            var deployment = await client.Deployments.GetAsync(deploymentName, cancellationToken);
            what = $"deployment {deployment.Name} (revision {deployment.Latest.Revision}: {DeployCommand.Describe(deployment.Latest)})";
            follower = new DeploymentFollower(new HttpDeploymentSource(client, load), deployment.Name, new ServingOptions().RetireAfter);
            source = follower.LoadLatestAsync;
        }
        else
        {
            var version = await client.ResolveModelUriAsync(modelUri!, cancellationToken);
            what = $"{version.Name} version {version.Version}";
            source = async ct => new ServingTarget(await load(version.Name, version.Version, ct));
        }

        var url = $"http://{parseResult.GetValue(Host)}:{parseResult.GetValue(Port).ToString(CultureInfo.InvariantCulture)}";
        var app = ServingHost.Build(["--urls", url], source, o =>
        {
            o.MaxBatch = maxBatch;
            o.MaxDelay = TimeSpan.FromMilliseconds(maxDelay);
            o.FollowInterval = TimeSpan.FromSeconds(poll);
            o.PredictionLogUri = parseResult.GetValue(NoLog) ? null : client.BaseAddress;
            o.TrafficUri = follower is null ? null : client.BaseAddress;
        }, follower);
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            output.Console.MarkupLineInterpolated($"Serving [bold]{what}[/] on {url} (POST /invocations, GET /health, /metrics).");
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or OptionsValidationException && !cancellationToken.IsCancellationRequested)
        {
            output.Error($"could not start serving: {e.Message}");
            return ExitCodes.ServerFailedToStart;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await app.DisposeAsync();
            downloads.Dispose();
        }

        var loadError = host.LoadError;
        if (loadError is not null)
        {
            output.Error($"could not load {what}: {loadError.Message}");
            return ExitCodes.ModelFailedToLoad;
        }

        return ExitCodes.Success;
    }
}
