namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Monitors, window reports, feedback and alerts on a Keel server (<c>/api/keel/v1/monitors</c>).</summary>
    public KeelMonitoringClient Monitoring => field ??= new KeelMonitoringClient(_http, new Uri(BaseAddress, KeelApiPrefix));
}
