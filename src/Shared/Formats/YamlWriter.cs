using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Formats;

/// <summary>
/// YAML as PyYAML's <c>safe_dump(default_flow_style=False)</c> writes it, which is how MLflow writes MLmodel:
/// block style, keys sorted, sequences not indented under their key, strings quoted only when a plain
/// scalar would read back as something else (a number, a bool, null, a timestamp). Mappings are
/// <see cref="IDictionary{TKey, TValue}"/> of string keys, sequences <see cref="IList{T}"/>.
/// </summary>
/// <remarks>
/// Like PyYAML, plain and single-quoted strings are folded at a single space once a line passes 80
/// columns, so a signature comes out as MLflow writes it. Compiled into Keel.Core and Keel.Client,
/// which both write MLmodel files.
/// </remarks>
internal static partial class YamlWriter
{
    // PyYAML's best_width.
    private const int Width = 80;

    public static string Write(object? value)
    {
        var text = new StringBuilder();
        switch (value)
        {
            case IDictionary<string, object?> { Count: > 0 } map:
                WriteMapping(text, map, indent: 0);
                break;
            case IList<object?> { Count: > 0 } list:
                WriteSequence(text, list, indent: 0);
                break;
            default:
                text.Append(Scalar(value)).Append('\n');
                break;
        }

        return text.ToString();
    }

    // YAML 1.1's implicit types as PyYAML's SafeLoader resolves them (minus timestamps, see remarks).
    public static object? Resolve(string plain)
    {
        if (plain is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (plain is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON")
        {
            return true;
        }

        if (plain is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF")
        {
            return false;
        }

        if (IntPattern().IsMatch(plain) && long.TryParse(plain.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (FloatPattern().IsMatch(plain) && plain.Any(char.IsAsciiDigit))
        {
            return double.Parse(plain.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return plain switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => plain,
        };
    }

    private static void WriteMapping(StringBuilder text, IDictionary<string, object?> map, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first || firstLineIndented)
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append(Scalar(key)).Append(':');
            switch (value)
            {
                case IDictionary<string, object?> { Count: > 0 } child:
                    text.Append('\n');
                    WriteMapping(text, child, indent + 2);
                    break;
                case IList<object?> { Count: > 0 } list:
                    text.Append('\n');
                    WriteSequence(text, list, indent);
                    break;
                default:
                    text.Append(' ');
                    AppendScalar(text, value, indent + 2);
                    text.Append('\n');
                    break;
            }
        }
    }

    private static void WriteSequence(StringBuilder text, IList<object?> list, int indent)
    {
        foreach (var item in list)
        {
            text.Append(' ', indent).Append("- ");
            switch (item)
            {
                case IDictionary<string, object?> { Count: > 0 } map:
                    WriteMapping(text, map, indent + 2, firstLineIndented: false);
                    break;
                case IList<object?> { Count: > 0 } nested:
                    text.Append('\n');
                    WriteSequence(text, nested, indent + 2);
                    break;
                default:
                    AppendScalar(text, item, indent + 2);
                    text.Append('\n');
                    break;
            }
        }
    }

    // Strings continue on the next line at the indent the value's key would have one level deeper.
    private static void AppendScalar(StringBuilder text, object? value, int continuationIndent)
    {
        if (value is not string s || NeedsDoubleQuotes(s))
        {
            text.Append(Scalar(value));
            return;
        }

        var lineStart = text.ToString().LastIndexOf('\n') + 1;
        var column = text.Length - lineStart;
        var quoted = !IsSafePlain(s);
        if (quoted)
        {
            text.Append('\'');
            column++;
        }

        for (var i = 0; i < s.Length;)
        {
            if (s[i] == ' ')
            {
                var end = i;
                while (end < s.Length && s[end] == ' ')
                {
                    end++;
                }

                // PyYAML breaks only at a lone space, never at the first or last character of the string.
                if (end - i == 1 && column > Width && i != 0 && end != s.Length)
                {
                    text.Append('\n').Append(' ', continuationIndent);
                    column = continuationIndent;
                }
                else
                {
                    text.Append(' ', end - i);
                    column += end - i;
                }

                i = end;
            }
            else if (quoted && s[i] == '\'')
            {
                text.Append("''");
                column += 2;
                i++;
            }
            else
            {
                text.Append(s[i]);
                column++;
                i++;
            }
        }

        if (quoted)
        {
            text.Append('\'');
        }
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => String(s),
        double d => Float(d),
        float f => Float(f),
        IDictionary<string, object?> => "{}",
        IList<object?> => "[]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => String(value.ToString() ?? ""),
    };

    // Python's repr of a float, as PyYAML writes it: always a '.' or an exponent, so it reads back as a float.
    private static string Float(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        var exponent = text.IndexOf('e');
        return text.Contains('.') ? text : exponent < 0 ? text + ".0" : text.Insert(exponent, ".0");
    }

    private static string String(string s)
    {
        if (NeedsDoubleQuotes(s))
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in s)
            {
                quoted.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    _ when char.IsControl(c) => $"\\x{(int)c:X2}",
                    _ => c.ToString(),
                });
            }

            return quoted.Append('"').ToString();
        }

        return IsSafePlain(s) ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static bool NeedsDoubleQuotes(string s) => s.Any(char.IsControl);

    private static bool IsSafePlain(string s) =>
        s.Length > 0
        && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
        && "-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0]) < 0
        && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !s.EndsWith(':')
        && Resolve(s) is string
        && !TimestampPattern().IsMatch(s)
        && !OtherImplicitPattern().IsMatch(s);

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")]
    private static partial Regex FloatPattern();

    // What PyYAML would also read as a number: octal, hex, binary and base-60 integers and floats.
    [GeneratedRegex(@"^[-+]?(0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex OtherImplicitPattern();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$")]
    private static partial Regex TimestampPattern();
}
