using System.Globalization;

namespace Keel.Pipelines.Spec;

/// <summary>
/// A step's <c>when:</c> condition. The grammar is deliberately small:
/// <code>
/// expr    := and ('or' and)*
/// and     := unary ('and' unary)*
/// unary   := 'not' unary | compare
/// compare := operand (('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') operand)?
/// operand := NUMBER | 'STRING' | true | false | REFERENCE | '(' expr ')'
/// REFERENCE := steps.STEP.metrics.KEY | steps.STEP.params.KEY | params.NAME
/// </code>
/// Two operands compare as numbers when both are numbers (params are numbers if they parse as one), else as strings.
/// </summary>
internal sealed class StepCondition
{
    private readonly Node _root;

    private StepCondition(string text, Node root, IReadOnlyList<string> references)
    {
        Text = text;
        _root = root;
        References = references;
    }

    public string Text { get; }

    /// <summary>Every reference the condition reads, such as <c>steps.train.metrics.f1</c>.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>The steps whose metrics or params the condition reads: they must finish before it is evaluated.</summary>
    public IEnumerable<string> Steps => References.Select(r => r.Split('.')).Where(p => p[0] == "steps").Select(p => p[1]).Distinct();

    /// <exception cref="FormatException">The text does not follow the grammar; the message says where.</exception>
    public static StepCondition Parse(string text)
    {
        var parser = new Parser(text);
        var root = parser.ParseAll();
        return new StepCondition(text, root, parser.References);
    }

    /// <summary>Evaluates the condition; <paramref name="resolve"/> returns a reference's value or null if it has none.</summary>
    /// <exception cref="InvalidOperationException">A reference has no value (e.g. the metric was never logged) or the result is not a boolean.</exception>
    public bool Evaluate(Func<string, string?> resolve)
    {
        try
        {
            return AsBool(Eval(_root, resolve));
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"The condition '{Text}' cannot be evaluated: {ex.Message}.", ex);
        }
    }

    private static object Eval(Node node, Func<string, string?> resolve) => node switch
    {
        Literal literal => literal.Value,
        Reference reference => ToValue(resolve(reference.Path)
            ?? throw new InvalidOperationException($"{reference.Path} has no value")),
        Not not => !AsBool(Eval(not.Operand, resolve)),
        Binary { Op: "and" } b => AsBool(Eval(b.Left, resolve)) && AsBool(Eval(b.Right, resolve)),
        Binary { Op: "or" } b => AsBool(Eval(b.Left, resolve)) || AsBool(Eval(b.Right, resolve)),
        Binary b => Compare(b.Op, Eval(b.Left, resolve), Eval(b.Right, resolve)),
        _ => throw new InvalidOperationException("Unknown condition node."),
    };

    private static object ToValue(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : text;

    private static bool AsBool(object value) =>
        value as bool? ?? throw new InvalidOperationException($"'{value}' is not true or false; compare it with ==, <, > etc");

    private static bool Compare(string op, object left, object right)
    {
        var order = (left, right) switch
        {
            (double l, double r) => l.CompareTo(r),
            (bool l, bool r) => l.CompareTo(r),
            _ => string.CompareOrdinal(Convert.ToString(left, CultureInfo.InvariantCulture), Convert.ToString(right, CultureInfo.InvariantCulture)),
        };
        return op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private abstract record Node;

    private sealed record Literal(object Value) : Node;

    private sealed record Reference(string Path) : Node;

    private sealed record Not(Node Operand) : Node;

    private sealed record Binary(string Op, Node Left, Node Right) : Node;

    private sealed class Parser(string text)
    {
        private static readonly string[] Comparisons = ["==", "!=", "<=", ">=", "<", ">"];
        private readonly List<(string Token, int Position)> _tokens = Tokenize(text);
        private int _next;

        public List<string> References { get; } = [];

        public Node ParseAll()
        {
            var node = ParseOr();
            return _next < _tokens.Count ? throw Error($"unexpected '{_tokens[_next].Token}'") : node;
        }

        private Node ParseOr()
        {
            var left = ParseAnd();
            while (Accept("or"))
            {
                left = new Binary("or", left, ParseAnd());
            }

            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseUnary();
            while (Accept("and"))
            {
                left = new Binary("and", left, ParseUnary());
            }

            return left;
        }

        private Node ParseUnary() => Accept("not") ? new Not(ParseUnary()) : ParseCompare();

        private Node ParseCompare()
        {
            var left = ParseOperand();
            var op = Comparisons.FirstOrDefault(Accept);
            return op is null ? left : new Binary(op, left, ParseOperand());
        }

        private Node ParseOperand()
        {
            if (_next >= _tokens.Count)
            {
                throw Error("the condition ends too early");
            }

            var (token, _) = _tokens[_next];
            if (Accept("("))
            {
                var inner = ParseOr();
                return Accept(")") ? inner : throw Error("missing ')'");
            }

            _next++;
            if (token.StartsWith('\''))
            {
                return new Literal(token[1..^1]);
            }

            if (token is "true" or "false")
            {
                return new Literal(token == "true");
            }

            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new Literal(number);
            }

            var parts = token.Split('.', 4);
            var valid = parts switch
            {
                ["steps", { Length: > 0 }, "metrics" or "params", { Length: > 0 }] => true,
                ["params", { Length: > 0 }] => true,
                _ => false,
            };
            if (parts[0] == "champion")
            {
                throw Error($"'{token}': champion comparisons are not supported yet; compare with a number or a param");
            }

            if (!valid)
            {
                throw Error($"'{token}' is not a number, a 'string', true, false, steps.STEP.metrics.KEY, steps.STEP.params.KEY or params.NAME");
            }

            References.Add(token);
            return new Reference(token);
        }

        private bool Accept(string token)
        {
            if (_next < _tokens.Count && _tokens[_next].Token == token)
            {
                _next++;
                return true;
            }

            return false;
        }

        private FormatException Error(string message)
        {
            var position = _next < _tokens.Count ? _tokens[_next].Position : text.Length;
            return new FormatException($"invalid condition at character {position + 1}: {message}");
        }

        private static List<(string, int)> Tokenize(string text)
        {
            var tokens = new List<(string, int)>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                var start = i;
                if (c == '\'')
                {
                    var end = text.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"invalid condition at character {i + 1}: unterminated string");
                    }

                    i = end + 1;
                }
                else if (c is '(' or ')')
                {
                    i++;
                }
                else if (c is '=' or '!' or '<' or '>')
                {
                    i += i + 1 < text.Length && text[i + 1] == '=' ? 2 : 1;
                }
                else
                {
                    // Metric keys may hold '/', '-' and '.', as MLflow allows.
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or '/' or '+'))
                    {
                        i++;
                    }

                    if (i == start)
                    {
                        throw new FormatException($"invalid condition at character {i + 1}: unexpected '{c}'");
                    }
                }

                tokens.Add((text[start..i], start));
            }

            return tokens;
        }
    }
}
