namespace Keel.Client;

public sealed partial class KeelClient
{
    /// <summary>
    /// Content-addressed dataset versions on a Keel server (<c>/api/keel/v1/data</c>): add a file or a tree, get a
    /// version back byte for byte, list, tag, diff, delete and verify. MLflow's own server does not have it.
    /// </summary>
    public KeelDataClient Data => field ??= new KeelDataClient(this, _http, new Uri(BaseAddress, KeelApiPrefix + "data/"));
}
