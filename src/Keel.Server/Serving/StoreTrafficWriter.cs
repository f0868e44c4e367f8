using Keel.Core.Deployments;
using Keel.Serving.Traffic;

namespace Keel.Server.Serving;

/// <summary>Traffic counts of in-process deployments, added to the store directly.</summary>
internal sealed class StoreTrafficWriter(TrafficStore store) : ITrafficWriter
{
    public Task AddAsync(string deployment, IReadOnlyList<TrafficMinute> minutes, CancellationToken ct) => store.AddAsync(deployment, minutes, ct);
}
