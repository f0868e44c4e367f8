using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Pipelines.Spec;

/// <summary>
/// Reads <c>keel.yaml</c> and checks everything that can be checked before a step runs, collecting every error
/// with its line rather than stopping at the first: a CI job then shows them all at once.
/// </summary>
internal sealed partial class PipelineSpecReader
{
    private static readonly string[] TopLevelKeys = ["name", "params", "steps"];
    private static readonly string[] StepKeys = ["command", "needs", "inputs", "outputs", "env", "retries", "timeout", "when"];

    private readonly List<SpecError> _errors = [];

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(\d+)(ms|s|m|h)$")]
    private static partial Regex DurationPattern();

    /// <summary>Reads and validates a spec, with <paramref name="overrides"/> replacing param defaults.</summary>
    /// <exception cref="PipelineSpecException">The spec is invalid; every error found is listed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PipelineSpec Read(string file, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var reader = new PipelineSpecReader();
        var spec = reader.Parse(file, File.ReadAllText(file), overrides ?? new Dictionary<string, string>());
        return reader._errors.Count == 0 && spec is not null
            ? spec
            : throw new PipelineSpecException(file, [.. reader._errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }

    private PipelineSpec? Parse(string file, string text, IReadOnlyDictionary<string, string> overrides)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            Error(ex.Start, message.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? $"'{message["Duplicate key ".Length..]}' is declared twice in the same mapping"
                : message);
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            _errors.Add(new SpecError(1, 1, "the spec must be a mapping with name, params and steps"));
            return null;
        }

        CheckKeys(root, TopLevelKeys, "the spec");
        var name = Scalar(root, "name");
        if (name is null)
        {
            Error(root.Start, "'name' is required");
        }

        var parameters = StringMap(Child(root, "params"), "params") ?? [];
        foreach (var (key, value) in overrides)
        {
            if (!parameters.ContainsKey(key))
            {
                _errors.Add(new SpecError(1, 1, $"-p {key}={value}: the pipeline has no param '{key}' (it has: {Names(parameters.Keys)})"));
            }

            parameters[key] = value;
        }

        if (Child(root, "steps") is not YamlMappingNode stepsNode || stepsNode.Children.Count == 0)
        {
            Error(Child(root, "steps")?.Start ?? root.Start, "'steps' must map step names to their definitions");
            return null;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var raw = stepsNode.Children.Select(pair => ParseStep(pair.Key, pair.Value, parameters, directory)).OfType<RawStep>().ToList();
        var steps = Link(raw);
        return name is null ? null : new PipelineSpec(name, Path.GetFullPath(file), directory, parameters, steps);
    }

    private RawStep? ParseStep(YamlNode keyNode, YamlNode node, Dictionary<string, string> parameters, string directory)
    {
        var name = ((YamlScalarNode)keyNode).Value ?? "";
        if (!NamePattern().IsMatch(name))
        {
            Error(keyNode.Start, $"step name '{name}' may only hold letters, digits, '_' and '-'");
        }

        if (node is not YamlMappingNode step)
        {
            Error(node.Start, $"step '{name}' must be a mapping with at least a command");
            return null;
        }

        CheckKeys(step, StepKeys, $"step '{name}'");
        var command = Command(step, keyNode.Start, name);
        var outputs = StringMap(Child(step, "outputs"), $"step '{name}' outputs") ?? [];
        CheckOutputs(step, name, outputs);
        var inputs = Inputs(Child(step, "inputs"), name);
        var env = StringMap(Child(step, "env"), $"step '{name}' env") ?? [];

        foreach (var (text, mark) in command.Select(c => (c, Child(step, "command")!.Start))
            .Concat(env.Select(e => (e.Value, Child(step, "env")!.Start)))
            .Concat(inputs.Select(i => (i.Source, new Mark(0, i.Line, 1)))))
        {
            foreach (var (kind, reference) in Templates.References(text))
            {
                var known = kind switch
                {
                    "params" => parameters.ContainsKey(reference),
                    "inputs" => inputs.Any(i => i.Name == reference),
                    _ => outputs.ContainsKey(reference),
                };
                if (!known)
                {
                    Error(mark, $"step '{name}' refers to ${{{kind}.{reference}}}, which is not declared");
                }
            }
        }

        CheckFileInputs(inputs, parameters, directory, name);
        return new RawStep(
            name, keyNode.Start, command, Needs(Child(step, "needs"), name), inputs, outputs, env,
            Retries(Child(step, "retries"), name), Timeout(Child(step, "timeout"), name), When(Child(step, "when"), name));
    }

    private List<string> Command(YamlMappingNode step, Mark stepMark, string name)
    {
        switch (Child(step, "command"))
        {
            case null:
                Error(stepMark, $"step '{name}' has no command");
                return [];
            case YamlScalarNode { Value: { Length: > 0 } text }:
                return ["/bin/sh", "-c", text];
            case YamlSequenceNode { Children.Count: > 0 } list when list.Children.All(c => c is YamlScalarNode):
                return [.. list.Children.Select(c => ((YamlScalarNode)c).Value ?? "")];
            case var other:
                Error(other.Start, $"step '{name}': command must be a non-empty string or a list of strings");
                return [];
        }
    }

    private List<(string Name, Mark Mark)> Needs(YamlNode? node, string name) => node switch
    {
        null => [],
        YamlScalarNode scalar => [(scalar.Value ?? "", scalar.Start)],
        YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) =>
            [.. list.Children.Select(c => (((YamlScalarNode)c).Value ?? "", c.Start))],
        _ => Fail<List<(string, Mark)>>(node.Start, $"step '{name}': needs must be a list of step names", []),
    };

    private List<StepInput> Inputs(YamlNode? node, string step)
    {
        var inputs = node switch
        {
            null => [],
            YamlMappingNode map => [.. map.Children.Select(p => new StepInput(((YamlScalarNode)p.Key).Value ?? "", (p.Value as YamlScalarNode)?.Value ?? "", (int)p.Key.Start.Line))],
            YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode) =>
                list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").Zip(list.Children, (source, c) => new StepInput(DerivedName(source), source, (int)c.Start.Line)).ToList(),
            _ => Fail<List<StepInput>>(node.Start, $"step '{step}': inputs must be a list of sources or a map of name: source", []),
        };

        foreach (var input in inputs)
        {
            if (input.Name.Length == 0 || input.Source.Length == 0)
            {
                _errors.Add(new SpecError(input.Line, 1, $"step '{step}': input '{input.Source}' needs a name (use the map form name: source)"));
            }
        }

        foreach (var clash in inputs.GroupBy(i => Templates.EnvName(i.Name)).Where(g => g.Count() > 1))
        {
            _errors.Add(new SpecError(clash.Last().Line, 1, $"step '{step}': inputs {Names(clash.Select(i => i.Name))} share the variable KEEL_INPUT_{clash.Key}; name them with the map form"));
        }

        return inputs;
    }

    // The name a list-form input gets: the dataset, the upstream output, or the file's name.
    private static string DerivedName(string source)
    {
        if (source.StartsWith(StepInput.DataPrefix, StringComparison.Ordinal))
        {
            return source[StepInput.DataPrefix.Length..].Split('@')[0];
        }

        if (new StepInput("", source, 0).Upstream is { } upstream)
        {
            return upstream.Output;
        }

        return source.IndexOfAny(['*', '?', '[', '$']) >= 0 ? "" : Path.GetFileNameWithoutExtension(source.TrimEnd('/'));
    }

    private void CheckOutputs(YamlMappingNode step, string name, Dictionary<string, string> outputs)
    {
        var mark = Child(step, "outputs")?.Start ?? step.Start;
        foreach (var (output, path) in outputs)
        {
            if (path.Length == 0 || Path.IsPathRooted(path) || path.Replace('\\', '/').Split('/').Contains(".."))
            {
                Error(mark, $"step '{name}': output '{output}' must be a relative path inside the step's work directory, not '{path}'");
            }
        }

        foreach (var clash in outputs.GroupBy(o => Path.TrimEndingDirectorySeparator(o.Value)).Where(g => g.Count() > 1))
        {
            Error(mark, $"step '{name}': outputs {Names(clash.Select(o => o.Key))} are the same path '{clash.Key}'");
        }

        foreach (var clash in outputs.GroupBy(o => Templates.EnvName(o.Key)).Where(g => g.Count() > 1))
        {
            Error(mark, $"step '{name}': outputs {Names(clash.Select(o => o.Key))} share the variable KEEL_OUTPUT_{clash.Key}");
        }
    }

    private void CheckFileInputs(List<StepInput> inputs, Dictionary<string, string> parameters, string directory, string step)
    {
        var values = parameters.ToDictionary(p => $"params.{p.Key}", p => p.Value);
        foreach (var input in inputs.Where(i => !i.IsData && i.Upstream is null && i.Source.Length > 0))
        {
            if (InputFiles.Match(directory, Templates.Expand(input.Source, values)).Count == 0)
            {
                _errors.Add(new SpecError(input.Line, 1, $"step '{step}': input '{input.Name}' ({input.Source}) matches no file"));
            }
        }
    }

    private int Retries(YamlNode? node, string name)
    {
        if (node is null)
        {
            return 0;
        }

        return node is YamlScalarNode { Value: var text } && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var retries) && retries <= 100
            ? retries
            : Fail(node.Start, $"step '{name}': retries must be a whole number from 0 to 100", 0);
    }

    private TimeSpan? Timeout(YamlNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        var match = DurationPattern().Match((node as YamlScalarNode)?.Value ?? "");
        if (!match.Success || long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == 0)
        {
            return Fail<TimeSpan?>(node.Start, $"step '{name}': timeout must be a positive duration such as 500ms, 30s, 10m or 2h", null);
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
    }

    private StepCondition? When(YamlNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        try
        {
            return StepCondition.Parse((node as YamlScalarNode)?.Value ?? throw new FormatException("when must be a string"));
        }
        catch (FormatException ex)
        {
            return Fail<StepCondition?>(node.Start, $"step '{name}': {ex.Message}", null);
        }
    }

    private void CheckKeys(YamlMappingNode map, string[] allowed, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var text = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(text))
            {
                Error(key.Start, $"unknown key '{text}' in {what} (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }

    private Dictionary<string, string>? StringMap(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map || map.Children.Any(p => p.Key is not YamlScalarNode || p.Value is not YamlScalarNode))
        {
            return Fail<Dictionary<string, string>?>(node.Start, $"{what} must map names to plain values", null);
        }

        return map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value ?? "", p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal);
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private void Error(Mark mark, string message) => _errors.Add(new SpecError((int)mark.Line, (int)mark.Column, message));

    private T Fail<T>(Mark mark, string message, T fallback)
    {
        Error(mark, message);
        return fallback;
    }

    private sealed record RawStep(
        string Name,
        Mark Mark,
        List<string> Command,
        List<(string Name, Mark Mark)> Needs,
        List<StepInput> Inputs,
        Dictionary<string, string> Outputs,
        Dictionary<string, string> Env,
        int Retries,
        TimeSpan? Timeout,
        StepCondition? When);
}
