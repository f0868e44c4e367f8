using System.Globalization;

namespace Keel.Core.Gates;

/// <summary>
/// Parses one condition item: <c>SUM OP SUM [and SUM OP SUM ...]</c> where OP is one of &gt;= &lt;= &gt; &lt; == !=,
/// a SUM is numbers, metric keys, <c>max_slice_gap(METRIC)</c> and <c>+ - * /</c> with parentheses, and text is
/// <c>passed</c>, <c>failed</c>, a quoted string, <c>data_validation</c> (the run's keel.data_validation tag) or
/// <c>tag(KEY)</c>. Text compares only with == and !=.
/// </summary>
internal sealed class ConditionParser
{
    private static readonly string[] Comparisons = [">=", "<=", "==", "!=", ">", "<"];

    private readonly string _text;
    private readonly int _line;
    private int _position;

    private ConditionParser(string text, int line) => (_text, _line) = (text, line);

    public static IEnumerable<GateCondition> Parse(string text, int line)
    {
        var parser = new ConditionParser(text, line);
        var conditions = new List<GateCondition>();
        do
        {
            conditions.Add(parser.Comparison());
        }
        while (parser.TakeWord("and"));

        parser.SkipSpace();
        if (parser._position < text.Length)
        {
            throw parser.Error($"unexpected '{text[parser._position..]}'");
        }

        return conditions;
    }

    private GateCondition Comparison()
    {
        SkipSpace();
        var start = _position;
        var left = Sum();
        SkipSpace();
        var op = Comparisons.FirstOrDefault(c => string.CompareOrdinal(_text, _position, c, 0, c.Length) == 0)
            ?? throw Error("expected a comparison (>=, <=, >, <, == or !=)" + Near());
        _position += op.Length;
        var right = Sum();
        if (left.IsText != right.IsText)
        {
            throw Error("compares text with a number");
        }

        if (left.IsText && op is not ("==" or "!="))
        {
            throw Error($"text compares only with == or !=, not {op}");
        }

        return new GateCondition(_line, _text[start.._position].Trim(), left, op, right);
    }

    private GateExpression Sum()
    {
        var left = Product();
        while (TakeOperator('+', '-') is { } op)
        {
            left = new ArithmeticExpression(op, Numeric(left), Numeric(Product()));
        }

        return left;
    }

    private GateExpression Product()
    {
        var left = Unary();
        while (TakeOperator('*', '/') is { } op)
        {
            left = new ArithmeticExpression(op, Numeric(left), Numeric(Unary()));
        }

        return left;
    }

    private GateExpression Unary() =>
        TakeOperator('-') is not null ? new ArithmeticExpression('-', new NumberExpression(0), Numeric(Unary())) : Primary();

    private GateExpression Primary()
    {
        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("the condition ends where a value was expected");
        }

        var c = _text[_position];
        if (c == '(')
        {
            _position++;
            var inner = Sum();
            Expect(')');
            return inner;
        }

        if (c is '"' or '\'')
        {
            return new TextExpression(Quoted(c));
        }

        if (char.IsDigit(c) || c == '.')
        {
            var start = _position;
            while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E'
                || (_text[_position] is '+' or '-' && _text[_position - 1] is 'e' or 'E')))
            {
                _position++;
            }

            return double.TryParse(_text.AsSpan(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? new NumberExpression(value)
                : throw Error($"'{_text[start.._position]}' is not a number");
        }

        var word = Word() ?? throw Error($"unexpected '{c}'");
        SkipSpace();
        if (_position < _text.Length && _text[_position] == '(')
        {
            _position++;
            SkipSpace();
            var argument = _position < _text.Length && _text[_position] is '"' or '\'' ? Quoted(_text[_position]) : Word()
                ?? throw Error($"{word}() needs a name inside the parentheses");
            Expect(')');
            return word switch
            {
                "max_slice_gap" => new MaxSliceGapExpression(argument),
                "tag" => new TagExpression(argument),
                _ => throw Error($"unknown function {word}(); use max_slice_gap(METRIC) or tag(KEY)"),
            };
        }

        return word switch
        {
            Gate.PassedValue or Gate.FailedValue => new TextExpression(word),
            "data_validation" => new TagExpression("keel.data_validation"),
            _ => new MetricExpression(word),
        };
    }

    private GateExpression Numeric(GateExpression expression) =>
        expression.IsText ? throw Error("arithmetic needs numbers, not text") : expression;

    private string? Word()
    {
        SkipSpace();
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
        {
            _position++;
        }

        return _position > start && !char.IsDigit(_text[start]) ? _text[start.._position] : null;
    }

    private string Quoted(char quote)
    {
        var end = _text.IndexOf(quote, _position + 1);
        if (end < 0)
        {
            throw Error("unterminated quote");
        }

        var value = _text[(_position + 1)..end];
        _position = end + 1;
        return value;
    }

    private bool TakeWord(string word)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0
            && (_position + word.Length == _text.Length || char.IsWhiteSpace(_text[_position + word.Length])))
        {
            _position += word.Length;
            return true;
        }

        return false;
    }

    private char? TakeOperator(params ReadOnlySpan<char> operators)
    {
        SkipSpace();
        if (_position < _text.Length && operators.Contains(_text[_position]))
        {
            return _text[_position++];
        }

        return null;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (_position >= _text.Length || _text[_position] != c)
        {
            throw Error($"expected '{c}'" + Near());
        }

        _position++;
    }

    private string Near() => _position < _text.Length ? $" at '{_text[_position..]}'" : " at the end";

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private KeelException Error(string message) => GateParser.Error(_line, $"'{_text}' {message}");
}
