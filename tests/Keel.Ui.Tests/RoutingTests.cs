using System.Net;
using Keel.Testing;

namespace Keel.Ui.Tests;

/// <summary>The UI lives beside the APIs without shadowing them: API paths keep their JSON answers.</summary>
public sealed class RoutingTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    [Theory]
    [InlineData("/api/2.0/mlflow/no-such-endpoint")]
    [InlineData("/ajax-api/2.0/mlflow/experiments/nope")]
    public async Task UnknownMlflowRoute_StillAnswersMlflowsJsonError(string path)
    {
        var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("ENDPOINT_NOT_FOUND", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownKeelRoute_IsNotAnHtmlPage()
    {
        var response = await server.Http.GetAsync("/api/keel/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ApiRoutes_AnswerJsonBesideThePages()
    {
        var experiments = await server.Http.GetAsync("/api/2.0/mlflow/experiments/search?max_results=1");
        var page = await server.Http.GetAsync("/experiments");

        Assert.Equal("application/json", experiments.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/ui/static/keel.css", "text/css")]
    [InlineData("/ui/static/keel.js", "text/javascript")]
    [InlineData("/ui/static/uPlot.iife.min.js", "text/javascript")]
    [InlineData("/ui/static/uPlot.min.css", "text/css")]
    public async Task StaticFiles_AreServedFromTheServerItself(string path, string type)
    {
        var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
    }
}
