namespace Keel.Core.Models;

/// <summary>
/// The <c>MLmodel</c> file at the root of an MLflow model package: which flavors can load the model,
/// what it takes and returns, where its input example is, and where it was logged. Every field of the
/// file is kept, known or not, so a package written by MLflow's Python or R client (python_function,
/// sklearn, crate, ...) reads and writes back unchanged; the properties are typed views over those fields.
/// </summary>
internal sealed class MLmodel
{
    public const string FileName = "MLmodel";

    private readonly OrderedDictionary<string, object?> _fields;

    public MLmodel()
    {
        _fields = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["flavors"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal),
        };
    }

    private MLmodel(OrderedDictionary<string, object?> fields) => _fields = fields;

    /// <summary>Every top-level field, as loaded (mappings are ordered dictionaries, lists are lists).</summary>
    public IReadOnlyDictionary<string, object?> Fields => _fields;

    /// <summary>The package's path under its run's artifact root, such as <c>model</c>.</summary>
    public string? ArtifactPath { get => GetString("artifact_path"); set => SetOrRemove("artifact_path", value); }

    public string? RunId { get => GetString("run_id"); set => SetOrRemove("run_id", value); }

    /// <summary>UTC time of creation, as Python's <c>str(datetime)</c>: <c>2024-01-12 05:17:31.634689</c>.</summary>
    public string? UtcTimeCreated { get => GetString("utc_time_created"); set => SetOrRemove("utc_time_created", value); }

    public string? ModelUuid { get => GetString("model_uuid"); set => SetOrRemove("model_uuid", value); }

    public string? MlflowVersion { get => GetString("mlflow_version"); set => SetOrRemove("mlflow_version", value); }

    public long? ModelSizeBytes
    {
        get => _fields.GetValueOrDefault("model_size_bytes") is long size ? size : null;
        set => SetOrRemove("model_size_bytes", value);
    }

    /// <summary>Flavor name → its configuration mapping, in file order.</summary>
    public OrderedDictionary<string, object?> Flavors =>
        _fields.GetValueOrDefault("flavors") as OrderedDictionary<string, object?> ?? throw new FormatException("flavors must be a mapping.");

    public bool HasSignature => _fields.GetValueOrDefault("signature") is not null;

    /// <summary>The input example's metadata (<c>saved_input_example_info</c>), if the package has one.</summary>
    public InputExampleInfo? SavedInputExampleInfo
    {
        get => _fields.GetValueOrDefault("saved_input_example_info") is OrderedDictionary<string, object?> info ? InputExampleInfo.FromMapping(info) : null;
        set => SetOrRemove("saved_input_example_info", value?.ToMapping());
    }

    /// <summary>A flavor's configuration, or null if the package does not have that flavor.</summary>
    public OrderedDictionary<string, object?>? Flavor(string name) => Flavors.GetValueOrDefault(name) as OrderedDictionary<string, object?>;

    public void AddFlavor(string name, OrderedDictionary<string, object?> configuration) => Flavors[name] = configuration;

    /// <summary>The signature, or null when the package has none.</summary>
    /// <exception cref="FormatException">The signature is malformed.</exception>
    public ModelSignature? ReadSignature() =>
        _fields.GetValueOrDefault("signature") is { } value ? ModelSignature.FromMapping(value) : null;

    public void SetSignature(ModelSignature? signature) => SetOrRemove("signature", signature?.ToMapping());

    /// <exception cref="FormatException">Not YAML, not a mapping, or without a flavors mapping.</exception>
    public static MLmodel Parse(string yaml)
    {
        var root = YamlTree.Load(yaml) as OrderedDictionary<string, object?>
            ?? throw new FormatException("MLmodel must be a YAML mapping of fields (flavors, signature, ...).");
        if (root.GetValueOrDefault("flavors") is not OrderedDictionary<string, object?> flavors)
        {
            throw new FormatException("MLmodel has no 'flavors' mapping; every MLflow model names at least one flavor.");
        }

        var notMappings = flavors.Where(f => f.Value is not IDictionary<string, object?>).Select(f => f.Key).ToList();
        if (notMappings.Count > 0)
        {
            throw new FormatException($"MLmodel flavor(s) {string.Join(", ", notMappings)} must each be a mapping of settings.");
        }

        return new MLmodel(root);
    }

    /// <summary>The file's text, written as MLflow writes it (PyYAML, sorted keys, block style).</summary>
    public string ToYaml() => YamlTree.Dump(_fields);

    /// <summary>
    /// What MLflow records in the run's <c>mlflow.log-model.history</c> tag for this package (its
    /// <c>get_tags_dict</c>): run_id, utc_time_created, artifact_path, model_uuid and the flavors.
    /// </summary>
    public OrderedDictionary<string, object?> ToHistoryEntry()
    {
        var entry = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var key in new[] { "artifact_path", "run_id", "utc_time_created", "model_uuid" })
        {
            if (_fields.TryGetValue(key, out var value))
            {
                entry[key] = value;
            }
        }

        entry["flavors"] = Flavors;
        return entry;
    }

    private string? GetString(string key) => _fields.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s,
        var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
    };

    private void SetOrRemove(string key, object? value)
    {
        if (value is null)
        {
            _fields.Remove(key);
        }
        else
        {
            _fields[key] = value;
        }
    }
}
