using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Models;

/// <summary>Loads a served model without blocking the host's start.</summary>
internal delegate Task<ServedModel> ModelSource(CancellationToken ct);

/// <summary>
/// The model version the host answers with. Swapping it is one reference write: requests already parsed against the
/// previous version finish with it (the batcher never mixes versions in one call).
/// </summary>
internal sealed class ModelHost(ModelSource source, IHostApplicationLifetime lifetime, ILogger<ModelHost> logger) : BackgroundService
{
    private volatile ServedModel? _current;

    public ServedModel? Current => _current;

    /// <summary>Why loading failed, once it has; the host then stops.</summary>
    public Exception? LoadError { get; private set; }

    public void Swap(ServedModel model)
    {
        // The previous version is not disposed: requests parsed against it may still be scoring.
        _current = model;
        logger.LogInformation("Serving {Model} version {Version} ({Flavor}).", model.Name, model.Version, model.Flavor);
    }

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
        _current?.Dispose();
        base.Dispose();
    }
}
