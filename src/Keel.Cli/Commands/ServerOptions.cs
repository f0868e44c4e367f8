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

    public static string[] ToServerArgs(ParseResult parse) =>
    [
        "--urls", $"http://{parse.GetRequiredValue(Host)}:{parse.GetRequiredValue(Port)}",
        "--Storage:DataDirectory", Path.GetFullPath(parse.GetRequiredValue(Data)),
    ];
}
