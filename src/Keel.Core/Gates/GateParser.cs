using System.Text.RegularExpressions;

namespace Keel.Core.Gates;

/// <summary>
/// Reads a gate file: the YAML subset <c>name: NAME</c>, optional <c>description: TEXT</c>, and <c>conditions:</c>
/// followed by <c>- CONDITION</c> items (all must hold; <c>a and b</c> in one item is two conditions). Only this
/// subset, so every error names the line it is on; comments start with <c>#</c>.
/// </summary>
internal static partial class GateParser
{
    public static Gate Parse(string text)
    {
        string? name = null;
        var inConditions = false;
        var conditions = new List<GateCondition>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = StripComment(lines[i]).TrimEnd();
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var trimmed = line.TrimStart();
            if (trimmed.StartsWith('-'))
            {
                if (!inConditions)
                {
                    throw Error(number, "a list item outside 'conditions:'");
                }

                var item = Unquote(trimmed[1..].Trim(), number);
                if (item.Length == 0)
                {
                    throw Error(number, "an empty condition");
                }

                conditions.AddRange(ConditionParser.Parse(item, number));
                continue;
            }

            if (line.Length != trimmed.Length)
            {
                throw Error(number, $"unexpected indentation before '{trimmed}'");
            }

            var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Error(number, $"expected 'name:', 'description:' or 'conditions:', not '{trimmed}'");
            }

            var value = trimmed[(colon + 1)..].Trim();
            inConditions = false;
            switch (trimmed[..colon].Trim())
            {
                case "name":
                    name = Unquote(value, number);
                    if (!NamePattern().IsMatch(name))
                    {
                        throw Error(number, $"the gate name '{name}' must be letters, digits, '_' or '-' (it becomes part of a tag key)");
                    }

                    break;
                case "description":
                    break;
                case "conditions" when value.Length == 0:
                    inConditions = true;
                    break;
                case "conditions":
                    throw Error(number, "list the conditions on the lines after 'conditions:', one '- CONDITION' each");
                case var key:
                    throw Error(number, $"unknown key '{key}'; a gate has 'name', 'description' and 'conditions'");
            }
        }

        if (name is null)
        {
            throw KeelException.InvalidParameter("The gate file has no 'name:' line.");
        }

        if (conditions.Count == 0)
        {
            throw KeelException.InvalidParameter("The gate file has no conditions: add 'conditions:' and '- CONDITION' lines.");
        }

        return new Gate(name, conditions, Gate.DigestOf(text));
    }

    internal static KeelException Error(int line, string message) => KeelException.InvalidParameter($"Gate file line {line}: {message}.");

    private static string StripComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static string Unquote(string value, int line)
    {
        if (value.Length > 0 && value[0] is '"' or '\'')
        {
            if (value.Length < 2 || value[^1] != value[0])
            {
                throw Error(line, $"unterminated quote in {value}");
            }

            return value[1..^1].Trim();
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
