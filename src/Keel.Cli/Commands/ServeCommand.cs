using System.CommandLine;
using System.Globalization;
using Keel.Client;
using Keel.Serving;
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
/// </summary>
internal sealed class ServeCommand : KeelCommand
{
    private static readonly Option<string> Model = new("--model", "-m")
    {
        Description = "The model to serve: models:/name@alias, models:/name/VERSION, models:/name/Stage or models:/name/latest.",
        Required = true,
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

        // Resolving first turns a wrong name or alias into a one-line error before anything listens.
        var version = await client.ResolveModelUriAsync(parseResult.GetRequiredValue(Model), cancellationToken);
        var cache = parseResult.GetValue(CacheDir)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "keel", "models");
        var downloads = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        ModelSource source = async ct =>
        {
            var uri = await client.GetModelVersionDownloadUriAsync(version.Name, version.Version, ct);
            var directory = await new ModelPackageDownloader(downloads, cache).DownloadAsync(version.Name, version.Version, uri, ct);
            return ModelLoader.Load(directory, version.Name, version.Version, flavor);
        };

        var url = $"http://{parseResult.GetValue(Host)}:{parseResult.GetValue(Port).ToString(CultureInfo.InvariantCulture)}";
        var app = ServingHost.Build(["--urls", url], source, o =>
        {
            o.MaxBatch = maxBatch;
            o.MaxDelay = TimeSpan.FromMilliseconds(maxDelay);
            o.PredictionLogUri = parseResult.GetValue(NoLog) ? null : client.BaseAddress;
        });
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            output.Console.MarkupLineInterpolated($"Serving [bold]{version.Name}[/] version {version.Version} on {url} (POST /invocations, GET /health, /metrics).");
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
            output.Error($"could not load {version.Name} version {version.Version}: {loadError.Message}");
            return ExitCodes.ModelFailedToLoad;
        }

        return ExitCodes.Success;
    }
}
