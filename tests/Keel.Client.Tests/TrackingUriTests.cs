namespace Keel.Client.Tests;

public class TrackingUriTests
{
    private static Func<string, string?> Environment(string? trackingUri) =>
        name => name == "MLFLOW_TRACKING_URI" ? trackingUri : null;

    [Fact]
    public void Resolve_WithExplicitUri_PrefersItOverEnvironment()
    {
        var uri = TrackingUri.Resolve("http://explicit:5000", Environment("http://from-env:5000"));

        Assert.Equal("http://explicit:5000", uri);
    }

    [Fact]
    public void Resolve_WithoutExplicitUri_UsesEnvironmentVariable()
    {
        var uri = TrackingUri.Resolve(null, Environment("http://from-env:5000"));

        Assert.Equal("http://from-env:5000", uri);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("  ", " ")]
    public void Resolve_WithNothingSet_ReturnsLocalDefault(string? explicitUri, string? environment)
    {
        var uri = TrackingUri.Resolve(explicitUri, Environment(environment));

        Assert.Equal("http://127.0.0.1:5000", uri);
        Assert.Equal(TrackingUri.Default, uri);
    }

    [Fact]
    public void Resolve_TrimsWhitespace()
    {
        Assert.Equal("http://a:1", TrackingUri.Resolve(" http://a:1 ", Environment(null)));
        Assert.Equal("http://b:2", TrackingUri.Resolve(null, Environment("\thttp://b:2\n")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://host/mlflow", "http://host/mlflow/")]
    [InlineData("https://host/mlflow/", "https://host/mlflow/")]
    public void ToBaseAddress_EndsWithSlash_SoRelativePathsAppend(string trackingUri, string expected)
    {
        Assert.Equal(expected, TrackingUri.ToBaseAddress(trackingUri).ToString());
    }

    [Theory]
    [InlineData("file:///tmp/mlruns")]
    [InlineData("databricks")]
    [InlineData("127.0.0.1:5000")]
    public void KeelClient_WithNonHttpTrackingUri_ThrowsArgumentException(string trackingUri)
    {
        var ex = Assert.Throws<ArgumentException>(() => new KeelClient(trackingUri));

        Assert.Contains(trackingUri, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeelClient_WithPathInBaseAddress_KeepsThePath()
    {
        var handler = new FakeHandler(_ => FakeHandler.Json("""{"experiment": {"experiment_id": "1"}}"""));
        using var client = handler.CreateClient("http://proxy.test/mlflow");

        await client.GetExperimentAsync("1");

        Assert.Equal("/mlflow/api/2.0/mlflow/experiments/get", Assert.Single(handler.Requests).Path);
    }
}
