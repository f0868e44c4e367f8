using System.CommandLine;

namespace Keel.Cli.Commands;

/// <summary>Where an embedded server listens and keeps its data; shared by <c>keel server</c> and <c>keel demo</c>.</summary>
internal static class ServerOptions
{
    public static readonly Option<string> Host = new("--host")
    {
        Description = "Interface to listen on.",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static readonly Option<int> Port = new("--port")
    {
        Description = "Port to listen on (0 picks a free one).",
        DefaultValueFactory = _ => 5000,
    };

    public static readonly Option<string> Data = new("--data")
    {
        Description = "Directory for the metadata database and artifacts.",
        DefaultValueFactory = _ => "keel-data",
        HelpName = "DIR",
    };

    public const string DatabaseVariable = "KEEL_DB";

    public static readonly Option<string?> Db = new("--db")
    {
        Description = $"Keep metadata in PostgreSQL: postgresql://user:password@host:5432/database (default: ${DatabaseVariable}; unset means SQLite under --data).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } url ? url : null,
        HelpName = "URL",
    };

    public static readonly Option<string?> Artifacts = new("--artifacts")
    {
        Description = "Keep artifacts in an S3-compatible bucket, s3://bucket/prefix (credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile). Default: under --data.",
        HelpName = "URI",
    };

    public static readonly Option<string?> S3Endpoint = new("--s3-endpoint")
    {
        Description = "The S3-compatible endpoint for --artifacts (e.g. http://127.0.0.1:7480); unset means AWS.",
        HelpName = "URL",
    };

    public static string[] ToServerArgs(ParseResult parse)
    {
        List<string> args =
        [
            "--urls", $"http://{parse.GetRequiredValue(Host)}:{parse.GetRequiredValue(Port)}",
            "--Storage:DataDirectory", Path.GetFullPath(parse.GetRequiredValue(Data)),
        ];
        if (parse.GetValue(Db) is { } database)
        {
            args.AddRange(["--Storage:Database", database]);
        }

        if (parse.GetValue(Artifacts) is { } artifacts)
        {
            args.AddRange(["--Artifacts:Root", artifacts]);
        }

        if (parse.GetValue(S3Endpoint) is { } endpoint)
        {
            args.AddRange(["--Artifacts:S3Endpoint", endpoint]);
        }

        return [.. args];
    }
}
