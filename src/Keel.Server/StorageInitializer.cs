using Keel.Core.Storage;
using Keel.Core.Tracking;

namespace Keel.Server;

/// <summary>
/// Creates or upgrades the schema when the host starts. Hosted services start before Kestrel
/// listens, so no request ever meets a database without its schema.
/// </summary>
internal sealed class StorageInitializer(Database database, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        database.Migrate();
        await services.GetRequiredService<TrackingStore>().EnsureDefaultExperimentAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
