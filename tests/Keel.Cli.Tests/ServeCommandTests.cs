using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Keel.Cli.Commands;
using Keel.Client;
using Keel.Client.ML;
using Keel.Client.ML.Tests;
using Keel.Testing;

namespace Keel.Cli.Tests;

/// <summary><c>keel serve</c> end to end: resolve through the tracking server, download, serve, stop on Ctrl+C.</summary>
public sealed class ServeCommandTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    private readonly string _trackingUri = server.BaseAddress.ToString();

    [Fact]
    public async Task Serve_AnAliasedModel_AnswersInvocations_AndExitsCleanlyWhenCancelled()
    {
        var name = await RegisterAsync();
        var port = FreePort();
        var cache = Directory.CreateTempSubdirectory("keel-cli-serve-").FullName;
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var serving = KeelCommandLine.InvokeAsync(Program.CreateRootCommand(),
            ["serve", "--model", $"models:/{name}@champion", "--port", port.ToString(), "--cache-dir", cache, "--tracking-uri", _trackingUri],
            new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilHealthyAsync(http, serving);
            using var response = await http.PostAsync("/invocations", new StringContent(
                """{"dataframe_records": [{"Distance": 900, "Hour": 18, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json"));
            var body = JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;

            Assert.Single(body["predictions"]!.AsArray());
            Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Keel-Model-Version")));
            Assert.True(File.Exists(Path.Combine(cache, name, "1", "MLmodel")));
        }
        finally
        {
            await stop.CancelAsync();
            Assert.True(await serving == ExitCodes.Success, error.ToString());
            KeelServerFixture.TryDelete(cache);
        }

        Assert.Contains(name, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_ADeployment_MovesToItsNewRevision_AndExitsCleanlyWhenCancelled()
    {
        var name = await RegisterAsync();
        using var client = new KeelClient(server.Http);
        var first = await client.ResolveModelUriAsync($"models:/{name}/1");
        await client.CreateModelVersionAsync(name, first.Source, first.RunId);
        var deployment = name + "-deploy";
        await client.Deployments.CreateAsync(deployment, $"models:/{name}@champion");
        var port = FreePort();
        var cache = Directory.CreateTempSubdirectory("keel-cli-serve-").FullName;
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var serving = KeelCommandLine.InvokeAsync(Program.CreateRootCommand(),
            ["serve", "--deployment", deployment, "--poll-interval", "0.1", "--port", port.ToString(), "--cache-dir", cache, "--tracking-uri", _trackingUri],
            new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilHealthyAsync(http, serving);
            Assert.Equal("1", await VersionAsync(http));

            await client.Deployments.SetModelAsync(deployment, $"models:/{name}/2");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await VersionAsync(http) != "2")
            {
                Assert.True(DateTime.UtcNow < deadline, "The host did not move to revision 2 within 60 s.");
                await Task.Delay(50);
            }

            // The host reports a revision LIVE right after it swaps to it.
            while ((await client.Deployments.GetAsync(deployment)).Latest.Status != "LIVE")
            {
                Assert.True(DateTime.UtcNow < deadline, "Revision 2 was not reported LIVE within 60 s.");
                await Task.Delay(50);
            }

            Assert.Equal("LIVE", (await client.Deployments.ListRevisionsAsync(deployment))[1].Status);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.True(await serving == ExitCodes.Success, error.ToString());
            KeelServerFixture.TryDelete(cache);
        }

        Assert.Contains($"deployment {deployment} (revision 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_NeedsExactlyOneOfModelAndDeployment_AndAnUnknownDeploymentIsNotFound()
    {
        var neither = await CliRunner.RunAsync("serve", "--tracking-uri", _trackingUri);
        var both = await CliRunner.RunAsync("serve", "--model", "models:/m/1", "--deployment", "d", "--tracking-uri", _trackingUri);
        var missing = await CliRunner.RunAsync("serve", "--deployment", "no-such-deployment", "--tracking-uri", _trackingUri);

        Assert.Equal(ExitCodes.InvalidArguments, neither.ExitCode);
        Assert.Equal(ExitCodes.InvalidArguments, both.ExitCode);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Single(missing.Error.Trim().Split('\n'));
    }

    private static async Task<string> VersionAsync(HttpClient http)
    {
        using var response = await http.PostAsync("/invocations", new StringContent(
            """{"dataframe_records": [{"Distance": 900, "Hour": 18, "Origin": "ORD"}]}""", Encoding.UTF8, "application/json"));
        return Assert.Single(response.EnsureSuccessStatusCode().Headers.GetValues("X-Keel-Model-Version"));
    }

    [Fact]
    public async Task Serve_AnUnknownAlias_ExitsNotFound_WithOneLine()
    {
        var result = await CliRunner.RunAsync("serve", "--model", "models:/no-such-model@champion", "--tracking-uri", _trackingUri);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Serve_AModelWithoutAnOnnxOrMlnetFlavor_ExitsModelFailedToLoad_NamingTheFlavors()
    {
        using var client = new KeelClient(server.Http);
        var name = "sklearn-" + Guid.NewGuid().ToString("N")[..8];
        var run = await client.CreateRunAsync(await client.CreateExperimentAsync(name));
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "MLmodel"), "artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
            await client.UploadArtifactAsync(run.Info.RunId, Path.Combine(directory.FullName, "MLmodel"), "model");
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        await client.CreateRegisteredModelAsync(name);
        await client.CreateModelVersionAsync(name, $"runs:/{run.Info.RunId}/model");
        var cache = Directory.CreateTempSubdirectory("keel-cli-serve-").FullName;

        var result = await CliRunner.RunAsync("serve", "--model", $"models:/{name}/1", "--port", FreePort().ToString(), "--cache-dir", cache, "--tracking-uri", _trackingUri);

        KeelServerFixture.TryDelete(cache);
        Assert.True(result.ExitCode == ExitCodes.ModelFailedToLoad, $"exit {result.ExitCode}: {result.Error}");
        Assert.Contains("python_function", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--model", "not-a-uri")]
    [InlineData("--model", "models:/m@a", "--max-batch", "0")]
    [InlineData("--model", "models:/m@a", "--flavor", "sklearn")]
    public async Task Serve_WithBadArguments_ExitsInvalidArguments(params string[] args)
    {
        var result = await CliRunner.RunAsync(["serve", .. args, "--tracking-uri", _trackingUri]);

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.StartsWith("Error", result.Error, StringComparison.Ordinal);
    }

    private async Task<string> RegisterAsync()
    {
        var tiny = new TinyModel();
        using var client = new KeelClient(server.Http);
        var experimentId = await client.CreateExperimentAsync("serve-" + Guid.NewGuid().ToString("N"));
        var name = "served-" + Guid.NewGuid().ToString("N")[..8];
        await using var run = await client.StartRunAsync(experimentId, "tiny");
        await run.LogModelAsync(tiny.Model, tiny.Data.Schema, "model", new LogModelOptions { ExportOnnx = true });
        var runInfo = await client.GetRunAsync(run.RunId);
        await client.CreateRegisteredModelAsync(name);
        var version = await client.CreateModelVersionAsync(name, runInfo.Info.ArtifactUri + "/model", run.RunId);
        await client.SetModelAliasAsync(name, "champion", version.Version);
        return name;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Task<int> serving)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(serving.IsCompleted, "keel serve exited before it became healthy.");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "keel serve did not become healthy within 60 s.");
            await Task.Delay(50);
        }
    }
}
