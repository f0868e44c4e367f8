using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Keel.Server.Tests;

/// <summary>
/// Keeps deploy/ honest: the compose file and the Kubernetes manifests are not run by any test here (no
/// docker or cluster), so these checks catch the drift that would otherwise only show at deploy time: a
/// probe path the server does not serve, a flag the CLI does not know, a manifest kustomize never applies.
/// </summary>
public sealed partial class DeployFilesTests(KeelServerFixture server) : IClassFixture<KeelServerFixture>
{
    /// <summary>The server's health routes, and what each is for.</summary>
    private static readonly string[] HealthRoutes = ["/health", "/health/live"];

    /// <summary>
    /// Every keel command and flag that deploy/ uses (Dockerfile CMD, compose commands, Kubernetes args).
    /// The test fails when deploy/ uses something not listed here, so this list is the record of what the
    /// deployment depends on, and each entry is checked against the CLI's parser.
    /// </summary>
    private static readonly Dictionary<string, string[]> DeployCliSurface = new(StringComparer.Ordinal)
    {
        ["server"] = ["--host", "--port", "--data"],
        ["db upgrade"] = ["--db"],
    };

    private static string DeployDirectory => Path.Combine(RepositoryRoot.Path, "deploy");

    private static string K8sDirectory => Path.Combine(DeployDirectory, "k8s");

    public static TheoryData<string> YamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(DeployDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(DeployDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void EveryYamlFile_Parses(string relativePath)
    {
        var documents = Load(Path.Combine(DeployDirectory, relativePath));

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.IsType<YamlMappingNode>(d.RootNode));
    }

    [Fact]
    public async Task EveryProbePath_IsAHealthRouteThatAnswers200()
    {
        var probes = K8sProbes().Concat(ComposeHealthcheckPaths()).ToList();

        // The extraction itself must find the probes, or this test would pass on nothing.
        Assert.Contains(probes, p => p.Where.StartsWith("k8s/", StringComparison.Ordinal));
        Assert.Contains(probes, p => p.Where.StartsWith("compose.yaml", StringComparison.Ordinal));
        foreach (var (where, path) in probes)
        {
            Assert.True(HealthRoutes.Contains(path, StringComparer.Ordinal), $"{where} probes {path}, which is not one of the server's health routes ({string.Join(", ", HealthRoutes)}).");
            using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{where} probes {path}; a running server answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public void Liveness_DoesNotDependOnTheDatabase_AndReadinessDoes()
    {
        // Liveness on /health would restart every pod during a database outage instead of taking them out
        // of the load balancer; readiness on /health/live would route to pods that cannot work.
        var probes = K8sProbes().ToList();

        Assert.Contains(probes, p => p.Where.EndsWith("readinessProbe", StringComparison.Ordinal));
        Assert.All(probes.Where(p => p.Where.EndsWith("readinessProbe", StringComparison.Ordinal)), p => Assert.Equal("/health", p.Path));
        Assert.All(probes.Where(p => p.Where.EndsWith("livenessProbe", StringComparison.Ordinal)), p => Assert.Equal("/health/live", p.Path));
        Assert.All(probes.Where(p => p.Where.EndsWith("startupProbe", StringComparison.Ordinal)), p => Assert.Equal("/health/live", p.Path));
    }

    [Fact]
    public void Dockerfile_RunsTheCliAsNonRoot_WithoutAHealthcheck()
    {
        var lines = DockerfileInstructions();

        Assert.Equal(["dotnet", "keel.dll"], JsonArray(lines, "ENTRYPOINT"));
        Assert.Contains(lines, l => l is ("EXPOSE", "5000"));
        var user = Assert.Single(lines, l => l.Instruction == "USER").Arguments;
        Assert.DoesNotMatch("^(root|0)(:|$)", user);
        Assert.DoesNotContain(lines, l => l.Instruction == "HEALTHCHECK");
    }

    [Fact]
    public void Dockerfile_RestoreLayer_CopiesEveryProjectTheCliReferences()
    {
        // The restore layer copies project files one by one; a project the CLI gained since would make
        // `dotnet restore` fail inside the image build, which no test here runs.
        var copied = DockerfileInstructions().Where(l => l.Instruction == "COPY").Select(l => l.Arguments.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var pending = new Queue<string>(["src/Keel.Cli/Keel.Cli.csproj"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            Assert.True(copied.Contains(project), $"deploy/Dockerfile does not COPY {project} before `dotnet restore`.");
            var directory = Path.GetDirectoryName(project)!;
            var xml = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot.Path, project));
            foreach (var reference in xml.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!))
            {
                pending.Enqueue(Path.GetRelativePath(RepositoryRoot.Path, Path.GetFullPath(Path.Combine(RepositoryRoot.Path, directory, reference.Replace('\\', '/')))).Replace('\\', '/'));
            }
        }
    }

    [Fact]
    public void EveryKeelCommandLine_UsesOnlyTheListedSurface()
    {
        var lines = KeelCommandLines().ToList();

        Assert.Contains(lines, l => l.Where == "Dockerfile CMD");
        Assert.Contains(lines, l => l.Where.StartsWith("compose.yaml", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Where.StartsWith("k8s/", StringComparison.Ordinal));
        foreach (var (where, args) in lines)
        {
            var (command, flags) = Split(args);
            Assert.True(DeployCliSurface.TryGetValue(command, out var listed), $"{where} runs `keel {command}`, which {nameof(DeployCliSurface)} does not list.");
            foreach (var flag in flags)
            {
                Assert.True(listed.Contains(flag, StringComparer.Ordinal), $"{where} passes {flag} to `keel {command}`, which {nameof(DeployCliSurface)} does not list.");
            }
        }

        // And nothing listed is stale: every entry is used somewhere.
        foreach (var (command, flags) in DeployCliSurface)
        {
            foreach (var flag in flags)
            {
                Assert.True(lines.Any(l => Split(l.Args) is var s && s.Command == command && s.Flags.Contains(flag)), $"{nameof(DeployCliSurface)} lists `keel {command} {flag}`, which deploy/ no longer uses.");
            }
        }
    }

    [Fact]
    public void EveryListedCommandAndFlag_IsKnownToTheCli()
    {
        var root = Keel.Cli.Program.CreateRootCommand();
        foreach (var (commandPath, flags) in DeployCliSurface)
        {
            var command = Find(root, commandPath);
            Assert.True(command is not null, $"deploy/ runs `keel {commandPath}`, which the CLI does not know.");
            foreach (var flag in flags)
            {
                var known = command.Options.Concat(root.Options.Where(o => o.Recursive)).Any(o => o.Name == flag || o.Aliases.Contains(flag));
                Assert.True(known, $"deploy/ passes {flag} to `keel {commandPath}`, which the CLI does not know.");
            }
        }

        // Whole command lines, values included (e.g. --port must be a number).
        foreach (var (where, args) in KeelCommandLines())
        {
            var errors = root.Parse(args).Errors;
            Assert.True(errors.Count == 0, $"{where}: `keel {string.Join(' ', args)}` does not parse: {string.Join("; ", errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void Kustomization_ListsEveryManifest()
    {
        var kustomization = (YamlMappingNode)Load(Path.Combine(K8sDirectory, "kustomization.yaml")).Single().RootNode;
        var resources = ((YamlSequenceNode)kustomization.Children[new YamlScalarNode("resources")]).Children
            .Select(n => ((YamlScalarNode)n).Value!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var manifests = Directory.EnumerateFiles(K8sDirectory, "*.yaml")
            .Select(f => Path.GetFileName(f))
            .Where(n => n != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(manifests, resources);
    }

    // --- what the deploy files say -------------------------------------------------------------

    private static List<YamlDocument> Load(string path)
    {
        using var reader = File.OpenText(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return [.. stream.Documents];
    }

    private static IEnumerable<YamlMappingNode> K8sDocuments() =>
        Directory.EnumerateFiles(K8sDirectory, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(Load)
            .Select(d => (YamlMappingNode)d.RootNode);

    private static IEnumerable<YamlMappingNode> K8sContainers() =>
        K8sDocuments().SelectMany(d => Descendants(d)
            .Where(m => m.Children.ContainsKey(new YamlScalarNode("containers")))
            .SelectMany(m => ((YamlSequenceNode)m.Children[new YamlScalarNode("containers")]).Children.Cast<YamlMappingNode>()));

    /// <summary>Every httpGet probe in the manifests, named "k8s/{container}/{probe}".</summary>
    private static IEnumerable<(string Where, string Path)> K8sProbes() =>
        from container in K8sContainers()
        from entry in container.Children
        let probe = Scalar(entry.Key)
        where probe.EndsWith("Probe", StringComparison.Ordinal)
        let httpGet = (YamlMappingNode)((YamlMappingNode)entry.Value).Children[new YamlScalarNode("httpGet")]
        select ($"k8s/{Scalar(container.Children[new YamlScalarNode("name")])}/{probe}", Scalar(httpGet.Children[new YamlScalarNode("path")]));

    private static YamlMappingNode ComposeServices() =>
        (YamlMappingNode)((YamlMappingNode)Load(Path.Combine(DeployDirectory, "compose.yaml")).Single().RootNode)
            .Children[new YamlScalarNode("services")];

    /// <summary>Compose services that run the keel image.</summary>
    private static IEnumerable<(string Name, YamlMappingNode Service)> ComposeKeelServices() =>
        from entry in ComposeServices().Children
        let service = (YamlMappingNode)entry.Value
        where service.Children.TryGetValue(new YamlScalarNode("image"), out var image) && Scalar(image).StartsWith("keel:", StringComparison.Ordinal)
        select (Scalar(entry.Key), service);

    /// <summary>The HTTP paths that keel services' compose healthchecks request.</summary>
    private static IEnumerable<(string Where, string Path)> ComposeHealthcheckPaths()
    {
        foreach (var (name, service) in ComposeKeelServices())
        {
            if (!service.Children.TryGetValue(new YamlScalarNode("healthcheck"), out var healthcheck))
            {
                continue;
            }

            var test = ((YamlMappingNode)healthcheck).Children[new YamlScalarNode("test")];
            var text = test is YamlSequenceNode sequence ? string.Join(' ', sequence.Children.Select(Scalar)) : Scalar(test);
            var matches = HttpPath().Matches(text);
            Assert.True(matches.Count > 0, $"compose.yaml/{name} has a healthcheck with no HTTP path in it: {text}");
            foreach (Match match in matches)
            {
                yield return ($"compose.yaml/{name}/healthcheck", match.Groups["path"].Value);
            }
        }
    }

    /// <summary>Every argument list the deploy files hand to the keel CLI.</summary>
    private static IEnumerable<(string Where, string[] Args)> KeelCommandLines()
    {
        yield return ("Dockerfile CMD", JsonArray(DockerfileInstructions(), "CMD"));

        foreach (var (name, service) in ComposeKeelServices())
        {
            Assert.True(service.Children.TryGetValue(new YamlScalarNode("command"), out var command) && command is YamlSequenceNode,
                $"compose.yaml/{name} should give its keel command as a list, so it is checked here.");
            yield return ($"compose.yaml/{name}", ((YamlSequenceNode)command).Children.Select(Scalar).ToArray());
        }

        foreach (var container in K8sContainers())
        {
            if (Scalar(container.Children[new YamlScalarNode("image")]) != "keel")
            {
                continue;
            }

            var name = Scalar(container.Children[new YamlScalarNode("name")]);
            Assert.False(container.Children.ContainsKey(new YamlScalarNode("command")), $"k8s/{name} overrides the image's ENTRYPOINT; pass keel's arguments in args.");
            yield return ($"k8s/{name}", ((YamlSequenceNode)container.Children[new YamlScalarNode("args")]).Children.Select(Scalar).ToArray());
        }
    }

    private static List<(string Instruction, string Arguments)> DockerfileInstructions() =>
        [.. File.ReadAllLines(Path.Combine(DeployDirectory, "Dockerfile"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var instruction, var rest] ? (instruction.ToUpperInvariant(), rest.Trim()) : (l.ToUpperInvariant(), ""))];

    private static string[] JsonArray(List<(string Instruction, string Arguments)> lines, string instruction) =>
        JsonSerializer.Deserialize<string[]>(Assert.Single(lines, l => l.Instruction == instruction).Arguments)!;

    /// <summary>"db upgrade --db X" → ("db upgrade", ["--db"]): leading words name the command.</summary>
    private static (string Command, string[] Flags) Split(string[] args) =>
        (string.Join(' ', args.TakeWhile(a => !a.StartsWith('-'))),
         [.. args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=', 2)[0])]);

    private static Command? Find(Command root, string path)
    {
        Command? command = root;
        foreach (var word in path.Split(' '))
        {
            command = command?.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
        }

        return command;
    }

    private static IEnumerable<YamlMappingNode> Descendants(YamlNode node)
    {
        if (node is YamlMappingNode mapping)
        {
            yield return mapping;
        }

        foreach (var child in node.AllNodes.Skip(1).OfType<YamlMappingNode>())
        {
            yield return child;
        }
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    [GeneratedRegex(@"(?:GET |https?://[^/\s'""]+)(?<path>/[^\s'""\\]*)")]
    private static partial Regex HttpPath();
}
