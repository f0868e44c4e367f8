using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keel.Core.Tracking.Search;

/// <summary>
/// Reads the pieces of MLflow's SQL-like search syntax from a string. MLflow tokenizes with sqlparse;
/// we only need identifiers, comparators, literals and a few keywords, so a hand-written scanner is enough.
/// </summary>
internal sealed partial class SearchScanner(string text, string kind)
{
    private int _position;

    public bool AtEnd
    {
        get
        {
            SkipWhitespace();
            return _position >= text.Length;
        }
    }

    public int Position
    {
        get
        {
            SkipWhitespace();
            return _position;
        }
    }

    public string Slice(int start) => text[start.._position].Trim();

    public KeelException Error(string detail) => KeelException.InvalidParameter($"Invalid {kind} '{text}': {detail}");

    /// <summary>The unread input, quoted and shortened, for "found ..." in error messages.</summary>
    public string Found()
    {
        SkipWhitespace();
        var rest = text[_position..];
        return rest.Length switch
        {
            0 => "the end",
            <= 40 => $"'{rest}'",
            _ => $"'{rest[..40]}...'",
        };
    }

    public bool TryKeyword(string keyword)
    {
        SkipWhitespace();
        if (string.Compare(text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var end = _position + keyword.Length;
        if (end < text.Length && IsWordChar(text[end]))
        {
            return false;
        }

        _position = end;
        return true;
    }

    /// <summary>
    /// Reads <c>entity.key</c> or a bare <c>key</c>. A key is either one quoted segment (backticks or double quotes)
    /// or dot-separated words, so <c>tags.mlflow.runName</c> has the key <c>mlflow.runName</c> as in MLflow.
    /// </summary>
    public SearchIdentifier ReadIdentifier(string expected)
    {
        var start = Position;
        var segments = new List<(string Text, bool Quoted)>();
        while (true)
        {
            segments.Add(ReadSegment(expected));
            if (_position < text.Length && text[_position] == '.')
            {
                _position++;
                continue;
            }

            break;
        }

        var written = Slice(start);
        if (segments.Count == 1)
        {
            return new SearchIdentifier(null, segments[0].Text, written);
        }

        var keySegments = segments.Skip(1).ToList();
        if (keySegments.Count > 1 && keySegments.Any(s => s.Quoted))
        {
            throw Error($"the key in '{written}' mixes quoted and unquoted parts; quote the whole key, e.g. tags.`a.b`.");
        }

        return new SearchIdentifier(segments[0].Text, string.Join('.', keySegments.Select(s => s.Text)), written);
    }

    public Comparator ReadComparator(string after)
    {
        SkipWhitespace();
        foreach (var unsupported in (string[])["<>", "=="])
        {
            if (string.CompareOrdinal(text, _position, unsupported, 0, 2) == 0)
            {
                throw Error($"comparator '{unsupported}' after '{after}' is not supported; use = or !=.");
            }
        }

        foreach (var (symbol, comparator) in Symbols)
        {
            if (string.CompareOrdinal(text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return comparator;
            }
        }

        if (TryKeyword("LIKE"))
        {
            return Comparator.Like;
        }

        if (TryKeyword("ILIKE"))
        {
            return Comparator.ILike;
        }

        if (TryKeyword("IN"))
        {
            return Comparator.In;
        }

        if (TryKeyword("NOT"))
        {
            if (TryKeyword("IN"))
            {
                return Comparator.NotIn;
            }

            throw Error($"expected IN after NOT in '{after} NOT' but found {Found()}.");
        }

        throw Error($"expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after '{after}' but found {Found()}.");
    }

    public FilterValue ReadValue(string after)
    {
        SkipWhitespace();
        if (_position >= text.Length)
        {
            throw Error($"expected a value after '{after}'.");
        }

        var c = text[_position];
        if (c is '\'' or '"')
        {
            return new StringValue(ReadQuoted(c));
        }

        if (c == '(')
        {
            return ReadList(after);
        }

        var number = NumberPattern().Match(text, _position);
        if (number.Success)
        {
            _position += number.Length;
            return new NumberValue(double.Parse(number.Value, NumberStyles.Float, CultureInfo.InvariantCulture), number.Value);
        }

        throw Error($"expected a quoted string, a number or a parenthesized list after '{after}' but found {Found()}. "
            + "Quote string values with single or double quotes.");
    }

    private ListValue ReadList(string after)
    {
        _position++;
        var values = new List<string>();
        while (true)
        {
            SkipWhitespace();
            if (_position < text.Length && text[_position] is '\'' or '"')
            {
                values.Add(ReadQuoted(text[_position]));
            }
            else
            {
                throw Error($"expected a non-empty list of quoted strings such as ('a', 'b') after '{after}' but found {Found()}.");
            }

            SkipWhitespace();
            if (_position < text.Length && text[_position] == ',')
            {
                _position++;
                continue;
            }

            if (_position < text.Length && text[_position] == ')')
            {
                _position++;
                return new ListValue(values);
            }

            throw Error($"expected ',' or ')' in the list after '{after}' but found {Found()}.");
        }
    }

    private (string Text, bool Quoted) ReadSegment(string expected)
    {
        if (_position < text.Length && text[_position] is '`' or '"')
        {
            return (ReadQuoted(text[_position]), true);
        }

        var start = _position;
        while (_position < text.Length && IsWordChar(text[_position]))
        {
            _position++;
        }

        if (_position == start)
        {
            var found = _position < text.Length ? $"{Found()}" : "the end";
            throw Error($"expected {expected} but found {found}. Quote keys with special characters in backticks, e.g. metrics.`my-metric`.");
        }

        return (text[start.._position], false);
    }

    // A doubled quote character stands for itself, as in SQL; MLflow has no escape for this at all.
    private string ReadQuoted(char quote)
    {
        var start = _position;
        _position++;
        var value = new StringBuilder();
        while (_position < text.Length)
        {
            var c = text[_position++];
            if (c != quote)
            {
                value.Append(c);
                continue;
            }

            if (_position < text.Length && text[_position] == quote)
            {
                value.Append(quote);
                _position++;
                continue;
            }

            return value.ToString();
        }

        throw Error($"unterminated {quote} quote starting at '{text[start..]}'.");
    }

    private void SkipWhitespace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // Longer symbols first so that "<=" is not read as "<".
    private static readonly (string Symbol, Comparator Comparator)[] Symbols =
    [
        ("!=", Comparator.NotEqual),
        ("<=", Comparator.LessOrEqual),
        (">=", Comparator.GreaterOrEqual),
        ("=", Comparator.Equal),
        ("<", Comparator.Less),
        (">", Comparator.Greater),
    ];

    [GeneratedRegex(@"\G-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
