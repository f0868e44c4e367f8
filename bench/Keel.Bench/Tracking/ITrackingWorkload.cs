using Keel.Bench.Reporting;

namespace Keel.Bench.Tracking;

/// <summary>One workload of the tracking benchmark, run against its own fresh server.</summary>
internal interface ITrackingWorkload
{
    string Name { get; }

    Task<IReadOnlyList<Measurement>> RunAsync(ServerProcess server, MlflowHttp http, Backend.DatabaseLease database, CancellationToken ct);
}
