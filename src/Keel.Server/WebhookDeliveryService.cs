using Keel.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Keel.Server;

/// <summary>
/// Delivers webhooks in the background: every replica runs this loop, and the database decides which replica makes
/// which delivery (see WebhookStore.Delivery.cs). Registered after <see cref="StorageInitializer"/>, so it starts on
/// a migrated schema.
/// </summary>
internal sealed class WebhookDeliveryService(WebhookDelivery delivery, IOptions<WebhookOptions> options, ILogger<WebhookDeliveryService> logger)
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
            var busy = 0;
            try
            {
                busy = await delivery.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be restarting; the work is all in it, so the next round picks up where this one stopped.
                logger.LogWarning(e, "A webhook delivery round failed; trying again in {Interval}", o.PollInterval);
            }

            if (busy == 0)
            {
                try
                {
                    await Task.Delay(o.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
