namespace Keel.Cli.Demo;

/// <summary>What a run logs about a dataset input, in the shape MLflow's dataset entity expects.</summary>
/// <param name="Digest">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="SchemaJson">MLflow column spec, e.g. <c>{"mlflow_colspec":[{"type":"long","name":"delay","required":true}]}</c>.</param>
/// <param name="ProfileJson">MLflow dataset profile, e.g. <c>{"num_rows":20000}</c>.</param>
internal sealed record DatasetDescription(
    string Name,
    string SourcePath,
    string Digest,
    string SchemaJson,
    string ProfileJson,
    int RowCount);
