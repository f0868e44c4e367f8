namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>Managed deployments on a Keel server (<c>/api/keel/v1/deployments</c>); MLflow's own server does not have them.</summary>
    public KeelDeploymentClient Deployments => field ??= new KeelDeploymentClient(_http, new Uri(BaseAddress, KeelApiPrefix + "deployments/"));
}
