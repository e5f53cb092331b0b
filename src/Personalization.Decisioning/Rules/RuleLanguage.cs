using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;

namespace Personalization.Decisioning.Rules;

/// <summary>
/// The rule language campaign managers write for segments and offer eligibility:
/// <code>
/// rule       := or
/// or         := and ("or" and)*
/// and        := unary ("and" unary)*
/// unary      := "not" unary | "(" rule ")" | test
/// test       := value (("=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") value | "in" "[" literal ("," literal)* "]")?
/// value      := number | 'text' | "text" | true | false | name | name "(" (name | 'text') ")"
/// </code>
/// A name is a trait, a behaviour aggregate, a channel statistic (as model features) or
/// <c>churn</c> (the cached churn score) or the cached score of an active model kind (<c>clv</c>,
/// <c>purchase_propensity</c>), which wins over a trait of the same name, or an interest (<see cref="InterestFeatures"/>);
/// functions are <c>days_since(last_purchase | last_seen | first_seen | a time trait)</c>, <c>consented(channel)</c>,
/// <c>in_segment(name)</c>, and <c>viewed(product)</c>, <c>purchased(product)</c>, <c>searched('term')</c> over the
/// customer's interests (a product id or term may be quoted). Text
/// compares ignoring case; anything missing compares false; a built-in number compared with a text
/// is an error. Parsing reports the position and what was expected.
/// </summary>
public static class RuleLanguage
{
    private static readonly ConcurrentDictionary<string, CompiledRule> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, Channel> Channels = Enum.GetValues<Channel>().Where(c => c != Channel.Unspecified)
        .ToDictionary(c => TraitParsing.SnakeCase(c.ToString()), c => c, StringComparer.Ordinal);

    /// <summary>Parses and compiles a rule; throws <see cref="RuleSyntaxException"/> with the position.</summary>
    public static CompiledRule Compile(string rule) => Cache.GetOrAdd(rule, static text => new Parser(text).ParseRule());

    /// <summary>
    /// The first error of a rule, or null when it parses; with <paramref name="allowContext"/> false
    /// (segments, journeys: no request to read) a <c>context.…</c> name is an error too.
    /// </summary>
    public static RuleError? Check(string rule, bool allowContext = true)
    {
        try
        {
            if (!allowContext && Compile(rule).ReadsContext)
            {
                var at = rule.IndexOf("context.", StringComparison.Ordinal);
                var lineStart = at <= 0 ? 0 : rule.LastIndexOf('\n', at - 1) + 1;
                return new RuleError(1 + rule.Take(at).Count(c => c == '\n'), at - lineStart + 1, "context.… names exist only in offer eligibility rules, where a request supplies them");
            }

            Compile(rule);
            return null;
        }
        catch (RuleSyntaxException ex)
        {
            return ex.Error;
        }
    }

    private abstract record Operand
    {
        public sealed record Number(double Value) : Operand;

        public sealed record Text(string Value) : Operand;

        public sealed record Flag(bool Value) : Operand;

        public sealed record Field(string Name) : Operand;

        public sealed record DaysSince(string Name) : Operand;

        public sealed record Consented(Channel Channel) : Operand;

        public sealed record InSegment(string Name) : Operand;

        public sealed record Context(string Name) : Operand;
        public sealed record Interest(string Function, string Argument) : Operand;
    }

    private sealed class Parser(string text)
    {
        private readonly List<(string Kind, string Value, int Position)> _tokens = Tokenize(text);
        private readonly List<string> _fields = [];
        private readonly List<string> _segments = [];
        private readonly List<(string Name, double Days)> _clocks = [];
        private bool _readsContext;
        private int _next;

        public CompiledRule ParseRule()
        {
            if (_tokens.Count == 1)
            {
                throw Error(0, "the rule is empty; expected a test such as tenure < 12");
            }

            var predicate = Or();
            if (Peek.Kind != "end")
            {
                throw Error(Peek.Position, $"expected 'and', 'or' or the end of the rule, found '{Peek.Value}'");
            }

            return new CompiledRule(text, predicate, [.. _fields.Distinct()], [.. _segments.Distinct()], _readsContext, [.. _clocks.Distinct()]);
        }

        private (string Kind, string Value, int Position) Peek => _tokens[_next];

        private (string Kind, string Value, int Position) Take() => _tokens[_next++];

        private bool TakeWord(string word)
        {
            if (Peek.Kind == "name" && Peek.Value.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                _next++;
                return true;
            }

            return false;
        }

        private Func<CustomerState, DateTime, PlacementContext, bool> Or()
        {
            var left = And();
            while (TakeWord("or"))
            {
                var (a, b) = (left, And());
                left = (s, now, c) => a(s, now, c) || b(s, now, c);
            }

            return left;
        }

        private Func<CustomerState, DateTime, PlacementContext, bool> And()
        {
            var left = Unary();
            while (TakeWord("and"))
            {
                var (a, b) = (left, Unary());
                left = (s, now, c) => a(s, now, c) && b(s, now, c);
            }

            return left;
        }

        private Func<CustomerState, DateTime, PlacementContext, bool> Unary()
        {
            if (TakeWord("not"))
            {
                var inner = Unary();
                return (s, now, c) => !inner(s, now, c);
            }

            if (Peek.Kind == "(")
            {
                Take();
                var inner = Or();
                Expect(")", "')' to close the parenthesis");
                return inner;
            }

            return Test();
        }

        private Func<CustomerState, DateTime, PlacementContext, bool> Test()
        {
            var start = Peek.Position;
            var left = Value();
            if (TakeWord("in"))
            {
                Expect("[", "'[' to start the list after 'in'");
                var items = new List<Operand> { Literal(left) };
                while (Peek.Kind == ",")
                {
                    Take();
                    items.Add(Literal(left));
                }

                Expect("]", "',' or ']' in the list");
                foreach (var item in items)
                {
                    Clock(left, item);
                }

                return (s, now, c) => items.Any(item => Compare(left, "=", item, s, now, c));
            }

            if (Peek.Kind == "op")
            {
                var op = Take().Value;
                var rightStart = Peek.Position;
                var right = Value();
                CheckTypes(left, right, start, rightStart);
                Clock(left, right);
                Clock(right, left);
                return (s, now, c) => Compare(left, op, right, s, now, c);
            }

            // A bare value is a test of its own only when it is true or false.
            return left switch
            {
                Operand.Consented or Operand.InSegment or Operand.Interest or Operand.Field or Operand.Flag or Operand.Context => (s, now, c) => Truth(left, s, now, c),
                _ => throw Error(start, "expected a comparison (=, !=, <, <=, >, >=, in) after this value"),
            };
        }

        // A days_since compared with a number of days is a time test: its answer moves by itself.
        private void Clock(Operand a, Operand b)
        {
            if (a is Operand.DaysSince d && b is Operand.Number n)
            {
                _clocks.Add((d.Name, n.Value));
            }
        }

        private Operand Literal(Operand left)
        {
            var token = Peek;
            var value = Value();
            if (value is not (Operand.Number or Operand.Text or Operand.Flag))
            {
                throw Error(token.Position, $"expected a number or a text in the list, found '{token.Value}'");
            }

            CheckTypes(left, value, token.Position, token.Position);
            return value;
        }

        // A built-in number (churn, an aggregate, days_since, consented) never equals a text: say so now.
        private void CheckTypes(Operand left, Operand right, int leftPosition, int rightPosition)
        {
            if (IsNumeric(left) && right is Operand.Text t)
            {
                throw Error(rightPosition, $"type mismatch: {Describe(left)} is a number, so it cannot be compared with the text '{t.Value}'");
            }

            if (IsNumeric(right) && left is Operand.Text l)
            {
                throw Error(leftPosition, $"type mismatch: {Describe(right)} is a number, so it cannot be compared with the text '{l.Value}'");
            }
        }

        private static bool IsNumeric(Operand operand) => operand switch
        {
            Operand.Field { Name: var name } => name == "churn" || CustomerFeatures.IsBuiltInNumber(name),
            Operand.DaysSince or Operand.Consented or Operand.InSegment or Operand.Interest => true,
            Operand.Context { Name: "local_hour" or "local_weekday" } => true,
            _ => false,
        };

        private static string Describe(Operand operand) => operand switch
        {
            Operand.Field f => $"'{f.Name}'",
            Operand.DaysSince d => $"days_since({d.Name})",
            Operand.Consented c => $"consented({TraitParsing.SnakeCase(c.Channel.ToString())})",
            Operand.InSegment g => $"in_segment({g.Name})",
            Operand.Context x => $"'context.{x.Name}'",
            Operand.Interest i => $"{i.Function}({i.Argument})",
            _ => "this value",
        };

        private Operand Value()
        {
            var token = Take();
            switch (token.Kind)
            {
                case "number":
                    return new Operand.Number(double.Parse(token.Value, CultureInfo.InvariantCulture));
                case "text":
                    return new Operand.Text(token.Value);
                case "name" when token.Value is "true" or "false":
                    return new Operand.Flag(token.Value == "true");
                case "name" when token.Value is "and" or "or" or "not" or "in":
                    throw Error(token.Position, $"expected a value, found the keyword '{token.Value}'");
                case "name" when Peek.Kind == "(":
                    Take();
                    var argument = Take();
                    if (argument.Kind != "name" && !(argument.Kind == "text" && token.Value is "in_segment" or "viewed" or "purchased" or "searched"))
                    {
                        throw Error(argument.Position, $"expected a name inside {token.Value}(…), found '{argument.Value}'");
                    }

                    Expect(")", $"')' to close {token.Value}(");
                    return token.Value switch
                    {
                        "days_since" => Field(new Operand.DaysSince(argument.Value), argument.Value),
                        "consented" when Channels.TryGetValue(argument.Value, out var channel) => new Operand.Consented(channel),
                        "consented" => throw Error(argument.Position, $"unknown channel '{argument.Value}' (one of {string.Join(", ", Channels.Keys)})"),
                        "in_segment" => Segment(argument.Value),
                        "viewed" or "purchased" or "searched" => new Operand.Interest(token.Value, argument.Value),
                        _ => throw Error(token.Position, $"unknown function '{token.Value}' (days_since, consented, in_segment, viewed, purchased, searched)"),
                    };
                case "name" when token.Value.StartsWith("context.", StringComparison.Ordinal):
                    return ContextName(token);
                case "name":
                    return Field(new Operand.Field(token.Value), token.Value);
                case "end":
                    throw Error(token.Position, "the rule ends too soon: expected a value");
                default:
                    throw Error(token.Position, $"expected a value, found '{token.Value}'");
            }
        }

        // context.placement, context.attributes.x…: checked now, so a rule naming what no request carries is refused when saved.
        private Operand.Context ContextName((string Kind, string Value, int Position) token)
        {
            var name = token.Value["context.".Length..];
            var attribute = name.StartsWith("attributes.", StringComparison.Ordinal) && name.Length > "attributes.".Length;
            if (!attribute && !PlacementContext.Names.Contains(name))
            {
                throw Error(token.Position, $"unknown context name '{token.Value}' (context.{string.Join(", context.", PlacementContext.Names)} or context.attributes.<name>)");
            }

            _readsContext = true;
            return new Operand.Context(name);
        }

        private Operand.InSegment Segment(string name)
        {
            _segments.Add(name);
            return new Operand.InSegment(name);
        }

        private Operand Field(Operand operand, string name)
        {
            _fields.Add(name);
            return operand;
        }

        private void Expect(string kind, string what)
        {
            if (Peek.Kind != kind)
            {
                throw Error(Peek.Position, $"expected {what}, found {(Peek.Kind == "end" ? "the end of the rule" : $"'{Peek.Value}'")}");
            }

            Take();
        }

        private RuleSyntaxException Error(int position, string message) => Fail(text, position, message);

        private static RuleSyntaxException Fail(string text, int position, string message)
        {
            var line = 1 + text.Take(position).Count(c => c == '\n');
            var lineStart = position == 0 ? 0 : text.LastIndexOf('\n', position - 1) + 1;
            return new RuleSyntaxException(new RuleError(line, position - lineStart + 1, message));
        }

        private static List<(string Kind, string Value, int Position)> Tokenize(string text)
        {
            var tokens = new List<(string, string, int)>();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (char.IsAsciiLetter(c) || c == '_')
                {
                    var start = i;
                    // Hyphens join words (segment names such as high-churn-risk) when a letter or digit follows.
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || (text[i] is '-' or '.' && i + 1 < text.Length && (char.IsAsciiLetterOrDigit(text[i + 1]) || text[i + 1] == '_'))))
                    {
                        i++;
                    }

                    tokens.Add(("name", text[start..i].ToLowerInvariant() is var word && word is "and" or "or" or "not" or "in" or "true" or "false" ? word : text[start..i], start));
                }
                else if (char.IsAsciiDigit(c) || (c is '-' or '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
                {
                    var start = i++;
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                    {
                        i++;
                    }

                    if (!double.TryParse(text[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw Fail(text, start, $"'{text[start..i]}' is not a number");
                    }

                    tokens.Add(("number", text[start..i], start));
                }
                else if (c is '\'' or '"')
                {
                    var start = i++;
                    var value = new StringBuilder();
                    while (i < text.Length && text[i] != c)
                    {
                        value.Append(text[i++]);
                    }

                    if (i == text.Length)
                    {
                        throw Fail(text, start, "this text is not closed: expected a closing quote");
                    }

                    i++;
                    tokens.Add(("text", value.ToString(), start));
                }
                else if (c is '=' or '!' or '<' or '>')
                {
                    var start = i++;
                    if (i < text.Length && text[i] == '=')
                    {
                        i++;
                    }

                    var op = text[start..i] == "==" ? "=" : text[start..i];
                    if (op == "!")
                    {
                        throw Fail(text, start, "expected '!=' here");
                    }

                    tokens.Add(("op", op, start));
                }
                else if (c is '(' or ')' or '[' or ']' or ',')
                {
                    tokens.Add((c.ToString(), c.ToString(), i++));
                }
                else
                {
                    throw Fail(text, i, $"unexpected character '{c}'");
                }
            }

            tokens.Add(("end", "", text.Length));
            return tokens;
        }
    }

    private static bool Truth(Operand operand, CustomerState state, DateTime now, PlacementContext context) => operand switch
    {
        Operand.Context x => context.Number(x.Name, state, now) is var n && !double.IsNaN(n) ? n > 0 : context.Text(x.Name) is { Length: > 0 } t && t != "false",
        Operand.Consented c => state.CanContact(c.Channel),
        Operand.InSegment g => state.Segments.ContainsKey(g.Name),
        Operand.Interest i => HasInterest(i, state),
        Operand.Flag f => f.Value,
        Operand.Field f => state.Traits.TryGetValue(f.Name, out var trait) ? trait.Value.AsNumber() is > 0 : CustomerFeatures.Number(state, f.Name, now) > 0,
        _ => false,
    };

    private static bool HasInterest(Operand.Interest interest, CustomerState state)
    {
        var marks = interest.Function switch
        {
            "viewed" => state.Interests?.RecentViews,
            "purchased" => state.Interests?.Purchased,
            _ => state.Interests?.Searches,
        };
        var wanted = interest.Function == "searched" ? interest.Argument.Trim().ToLowerInvariant() : interest.Argument;
        return marks is not null && Array.FindIndex(marks, m => m.Id == wanted) >= 0;
    }

    private static bool Compare(Operand left, string op, Operand right, CustomerState state, DateTime now, PlacementContext context)
    {
        // Text against text ignores case; otherwise both sides are read as numbers (missing is NaN: false).
        if (left is Operand.Text || right is Operand.Text)
        {
            var (a, b) = (Text(left, state, context), Text(right, state, context));
            if (a is null || b is null)
            {
                return false;
            }

            var order = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
            return Order(op, order);
        }

        var (x, y) = (Number(left, state, now, context), Number(right, state, now, context));
        return !double.IsNaN(x) && !double.IsNaN(y) && Order(op, x.CompareTo(y));
    }

    private static bool Order(string op, int order) => op switch
    {
        "=" => order == 0,
        "!=" => order != 0,
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        _ => order >= 0,
    };

    private static string? Text(Operand operand, CustomerState state, PlacementContext context) => operand switch
    {
        Operand.Context x => context.Text(x.Name) is { Length: > 0 } t ? t : null,
        Operand.Text t => t.Value,
        Operand.Field f => state.Traits.TryGetValue(f.Name, out var trait) ? trait.Value.ToString() : InterestFeatures.Text(state.Interests, f.Name),
        Operand.Flag f => f.Value ? "true" : "false",
        Operand.Number n => n.Value.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static double Number(Operand operand, CustomerState state, DateTime now, PlacementContext context) => operand switch
    {
        Operand.Context x => context.Number(x.Name, state, now),
        Operand.Number n => n.Value,
        Operand.Flag f => f.Value ? 1 : 0,
        Operand.Consented c => state.CanContact(c.Channel) ? 1 : 0,
        Operand.InSegment g => state.Segments.ContainsKey(g.Name) ? 1 : 0,
        Operand.Interest i => HasInterest(i, state) ? 1 : 0,
        Operand.Field { Name: "churn" } => state.Churn?.Value ?? double.NaN,
        Operand.Field f => KindScore.Of(state.KindScores, f.Name) ?? CustomerFeatures.Number(state, f.Name, now),
        Operand.DaysSince d => DaysSinceFrom(state, d.Name) is { } since ? (now - since).TotalDays : double.NaN,
        _ => double.NaN,
    };

    /// <summary>The moment <c>days_since(name)</c> counts from (last_purchase, last_seen, first_seen or a time trait); null when unknown.</summary>
    public static DateTime? DaysSinceFrom(CustomerState state, string name) => name switch
    {
        "last_purchase" => state.Behaviour.LastPurchaseAt == default ? null : state.Behaviour.LastPurchaseAt,
        "last_seen" => state.LastSeenAt == default ? null : state.LastSeenAt,
        "first_seen" => state.FirstSeenAt == default ? null : state.FirstSeenAt,
        _ => state.Traits.TryGetValue(name, out var t) && t.Value.Kind == TraitKind.Time ? t.Value.Time : null,
    };
}
