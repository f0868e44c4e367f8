namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Users and API tokens on a Keel server with authentication on; MLflow's own server does not have these routes.</summary>
    public KeelAuthClient Auth => field ??= new KeelAuthClient(_http, new Uri(BaseAddress, KeelApiPrefix));
}
