using System.CommandLine;
using System.Globalization;
using Keel.Client;

namespace Keel.Cli.Commands;

/// <summary><c>keel audit</c>: the server's tamper-evident audit trail.</summary>
internal sealed class AuditCommand : Command
{
    public static readonly Option<string?> Since = new("--since")
    {
        Description = "Entries at or after TIME: an ISO 8601 time (2026-11-25T03:00Z, UTC unless it says otherwise) or an age such as 30m, 24h, 7d.",
        HelpName = "TIME",
    };

    public static readonly Option<string?> Until = new("--until") { Description = "Entries before TIME (as --since).", HelpName = "TIME" };

    public static readonly Option<string?> Actor = new("--actor") { Description = "Entries of this user only.", HelpName = "USER" };

    public static readonly Option<string?> ActionOption = new("--action")
    {
        Description = "Entries of this action only, such as 'POST /api/2.0/mlflow/runs/create' or 'SIGN-IN Basic'.",
        HelpName = "ACTION",
    };

    public static readonly Option<string?> Resource = new("--resource") { Description = "Entries naming this resource only, such as run/ID.", HelpName = "KIND/ID" };

    public AuditCommand()
        : base("audit", "Read and verify the server's audit trail of changes and sign-ins (admins only on a server started with --auth).")
    {
        Subcommands.Add(new AuditVerifyCommand());
        Subcommands.Add(new AuditListCommand());
        Subcommands.Add(new AuditExportCommand());
    }

    /// <summary>The filters the list and export verbs share.</summary>
    public static AuditQuery Query(ParseResult parseResult, int maxResults) => new()
    {
        Since = Time(parseResult.GetValue(Since), "--since"),
        Until = Time(parseResult.GetValue(Until), "--until"),
        Actor = parseResult.GetValue(Actor),
        Action = parseResult.GetValue(ActionOption),
        Resource = parseResult.GetValue(Resource),
        MaxResults = maxResults,
    };

    public static void AddFilters(Command command)
    {
        command.Options.Add(Actor);
        command.Options.Add(ActionOption);
        command.Options.Add(Resource);
        command.Options.Add(Until);
    }

    private static DateTimeOffset? Time(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        if (text.Length > 1 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } a)
            {
                return DateTimeOffset.UtcNow - a;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"{option} '{text}' is not a time: give an ISO 8601 time (2026-11-25T03:00Z) or an age (30m, 24h, 7d).");
    }
}
