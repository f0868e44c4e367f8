using System.CommandLine;
using System.CommandLine.Parsing;

namespace Keel.Cli.Commands;

/// <summary>Parses and runs a <c>keel</c> command line.</summary>
internal static class KeelCommandLine
{
    public static async Task<int> InvokeAsync(
        RootCommand root, string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var parseResult = root.Parse(args);

        // System.CommandLine answers parse errors with exit code 1 and the whole help text; scripts need the
        // named code, and people need the error without scrolling past the help.
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await configuration.Error.WriteLineAsync($"Error: {error.Message}");
            }

            await configuration.Error.WriteLineAsync($"Run '{CommandPath(parseResult.CommandResult)} --help' for usage.");
            return ExitCodes.InvalidArguments;
        }

        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } current; result = result.Parent)
        {
            names.Insert(0, current.Command.Name);
        }

        return string.Join(' ', names.Prepend("keel"));
    }
}
