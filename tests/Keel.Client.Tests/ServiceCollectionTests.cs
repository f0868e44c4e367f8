using Microsoft.Extensions.DependencyInjection;

namespace Keel.Client.Tests;

public class ServiceCollectionTests
{
    [Fact]
    public void AddKeelClient_ResolvesClientWithConfiguredTrackingUri()
    {
        var services = new ServiceCollection();
        services.AddKeelClient(options =>
        {
            options.TrackingUri = "http://tracking.internal:5000/mlflow";
            options.Timeout = TimeSpan.FromSeconds(5);
        });
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<KeelClient>();

        Assert.Equal(new Uri("http://tracking.internal:5000/mlflow/"), client.BaseAddress);
    }
}
