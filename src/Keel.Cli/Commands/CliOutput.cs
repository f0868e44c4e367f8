using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Keel.Cli.Commands;

/// <summary>Where a command writes: tables for people, JSON for scripts, and one-line errors.</summary>
internal sealed class CliOutput
{
    // The wire's names (run_id, start_time, "FINISHED"), so `--json` output reads like MLflow's own API.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public CliOutput(InvocationConfiguration configuration)
    {
        _out = configuration.Output;
        _error = configuration.Error;

        var isConsole = ReferenceEquals(_out, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_out),
            Ansi = isConsole ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isConsole ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Redirected output has no width; a narrow default would wrap 32-character run ids mid-table.
        if (!isConsole)
        {
            Console.Profile.Width = 200;
        }
    }

    public IAnsiConsole Console { get; }

    public void Json<T>(T value) => _out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public void Line(string text) => _out.WriteLine(text);

    public void Error(string message) => _error.WriteLine($"Error: {message}");
}
