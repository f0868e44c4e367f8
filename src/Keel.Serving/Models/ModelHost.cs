using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Models;

/// <summary>Loads a served model without blocking the host's start.</summary>
internal delegate Task<ServedModel> ModelSource(CancellationToken ct);

/// <summary>Loads what the host first answers with (a deployment's latest revision, or one model).</summary>
internal delegate Task<ServingTarget> TargetSource(CancellationToken ct);

/// <summary>
/// The model version(s) the host answers with. Swapping is one reference write: requests already parsed against the
/// previous version finish with it (the batcher never mixes versions in one call).
/// </summary>
internal sealed class ModelHost(TargetSource source, IHostApplicationLifetime lifetime, ILogger<ModelHost> logger) : BackgroundService
{
    private volatile ServingTarget? _current;

    public ServingTarget? Current => _current;

    /// <summary>Why loading failed, once it has; the host then stops.</summary>
    public Exception? LoadError { get; private set; }

    public void Swap(ServingTarget target)
    {
        // The previous models are not disposed: requests parsed against them may still be scoring.
        _current = target;
        var model = target.Primary;
        if (target.Canary is { } canary)
        {
            logger.LogInformation("Serving {Model} version {Version} ({Flavor}) with canary {Canary} version {CanaryVersion} at {Percent}%{Revision}.",
                model.Name, model.Version, model.Flavor, canary.Name, canary.Version, target.CanaryPercent, RevisionText(target));
        }
        else
        {
            logger.LogInformation("Serving {Model} version {Version} ({Flavor}){Revision}.", model.Name, model.Version, model.Flavor, RevisionText(target));
        }
    }

    private static string RevisionText(ServingTarget target) =>
        target.Deployment is null ? "" : $" for deployment {target.Deployment} revision {target.Revision}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Swap(await source(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LoadError = e;
            logger.LogError("Could not load the model: {Message}", e.Message);
            lifetime.StopApplication();
        }
    }

    public override void Dispose()
    {
        _current?.Primary.Dispose();
        // A revision may name the same version as primary and canary: one instance, disposed once.
        if (_current?.Canary is { } canary && !ReferenceEquals(canary, _current.Primary))
        {
            canary.Dispose();
        }
        base.Dispose();
    }
}
