using Keel.Core.Monitoring;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// Evaluates every monitor's closed windows in the background. Every replica runs this loop; the window claims in
/// the database decide which replica computes which window. Registered after <see cref="StorageInitializer"/>.
/// </summary>
internal sealed class MonitoringService(MonitorStore store, MonitorEvaluator evaluator, IOptions<MonitoringOptions> options, ILogger<MonitoringService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var monitor in await store.ListAsync(ct: stoppingToken))
                {
                    try
                    {
                        await evaluator.EvaluateAsync(monitor, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One monitor with an unreadable reference must not stop the others; its claim lapses and is retried.
                        logger.LogWarning(e, "Monitor {Monitor} could not be evaluated", monitor.Name);
                    }
                }

                await Task.Delay(o.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A monitoring round failed; trying again in {Interval}", o.PollInterval);
                await Task.Delay(o.PollInterval, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
            }
        }
    }
}
