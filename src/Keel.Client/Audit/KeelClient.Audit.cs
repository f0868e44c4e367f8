namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>The audit trail of a Keel server; MLflow's own server does not have these routes.</summary>
    public KeelAuditClient Audit => field ??= new KeelAuditClient(_http, new Uri(BaseAddress, KeelApiPrefix));
}
