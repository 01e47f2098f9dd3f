using System.Globalization;

namespace CloudPatterns.LocalCloud.Services.CloudWatch;

/// <summary>
/// CloudWatch metric math for alarms (docs/localcloud-cloudwatch.md): numbers, query ids, arithmetic
/// (<c>+ - * / ^</c>), comparisons (<c>== != &lt; &gt; &lt;= &gt;=</c>, 1 or 0), <c>AND</c>/<c>&amp;&amp;</c>,
/// <c>OR</c>/<c>||</c>, <c>NOT</c>/<c>!</c>, arrays <c>[a, b]</c> and the functions IF, FILL (value, REPEAT, LINEAR),
/// SUM, AVG, MIN, MAX (across an array: a series; over a series: a number), ABS, CEIL, FLOOR and PERIOD. Two series
/// combine at the timestamps both have; a result that is not a number (division by zero) has no data point.
/// </summary>
internal static class MetricMath
{
    private static readonly string[] Functions = ["IF", "FILL", "SUM", "AVG", "MIN", "MAX", "ABS", "CEIL", "FLOOR", "PERIOD"];

    /// <summary>A parsed expression; throws <see cref="MetricMathException"/> naming what is wrong.</summary>
    public static MathNode Parse(string expression) => new Parser(expression).ParseAll();

    /// <summary>The query ids an expression reads.</summary>
    public static IEnumerable<string> References(MathNode node) => node switch
    {
        MathNode.Id id => [id.Name],
        MathNode.Call call => call.Arguments.SelectMany(References),
        MathNode.Binary binary => References(binary.Left).Concat(References(binary.Right)),
        MathNode.Not not => References(not.Operand),
        MathNode.Negate negate => References(negate.Operand),
        MathNode.List list => list.Items.SelectMany(References),
        _ => [],
    };

    /// <summary>Evaluates a node; ids are resolved through the context (metric series or other expressions).</summary>
    public static MathValue Evaluate(MathNode node, MathContext context) => node switch
    {
        MathNode.Number number => new MathValue.Scalar(number.Value),
        MathNode.Id id => context.Resolve(id.Name),
        MathNode.Keyword keyword => throw new MetricMathException($"{keyword.Name} may only be the second argument of FILL."),
        MathNode.List list => new MathValue.Array([.. list.Items.Select(item => AsSeries(Evaluate(item, context), "An array"))]),
        MathNode.Negate negate => Map(Evaluate(negate.Operand, context), value => -value),
        MathNode.Not not => Map(Evaluate(not.Operand, context), value => value == 0 ? 1 : 0),
        MathNode.Binary binary => Combine(Evaluate(binary.Left, context), Evaluate(binary.Right, context), Operator(binary.Operator)),
        MathNode.Call call => Call(call, context),
        _ => throw new MetricMathException("Unknown expression."),
    };

    private static Func<double, double, double> Operator(string symbol) => symbol switch
    {
        "+" => (a, b) => a + b,
        "-" => (a, b) => a - b,
        "*" => (a, b) => a * b,
        "/" => (a, b) => a / b,
        "^" => Math.Pow,
        "==" => (a, b) => a == b ? 1 : 0,
        "!=" => (a, b) => a != b ? 1 : 0,
        "<" => (a, b) => a < b ? 1 : 0,
        ">" => (a, b) => a > b ? 1 : 0,
        "<=" => (a, b) => a <= b ? 1 : 0,
        ">=" => (a, b) => a >= b ? 1 : 0,
        "AND" => (a, b) => a != 0 && b != 0 ? 1 : 0,
        _ => (a, b) => a != 0 || b != 0 ? 1 : 0,
    };

    private static MathValue Call(MathNode.Call call, MathContext context)
    {
        if (!Functions.Contains(call.Name))
        {
            throw new MetricMathException($"Unknown function {call.Name}; LocalCloud's metric math takes {string.Join(", ", Functions)}.");
        }

        void Arity(int least, int most)
        {
            if (call.Arguments.Count < least || call.Arguments.Count > most)
            {
                throw new MetricMathException($"{call.Name} takes {(least == most ? least.ToString(CultureInfo.InvariantCulture) : $"{least} or {most}")} argument{(most == 1 ? "" : "s")}, not {call.Arguments.Count}.");
            }
        }

        switch (call.Name)
        {
            case "IF":
                Arity(2, 3);
                return If(Evaluate(call.Arguments[0], context), Evaluate(call.Arguments[1], context), call.Arguments.Count == 3 ? Evaluate(call.Arguments[2], context) : null);
            case "FILL":
                Arity(2, 2);
                return Fill(AsSeries(Evaluate(call.Arguments[0], context), "FILL's first argument"), call.Arguments[1], context);
            case "PERIOD":
                Arity(1, 1);
                AsSeries(Evaluate(call.Arguments[0], context), "PERIOD's argument");
                return new MathValue.Scalar(context.PeriodSeconds);
            case "ABS" or "CEIL" or "FLOOR":
                Arity(1, 1);
                return Map(Evaluate(call.Arguments[0], context), call.Name switch { "ABS" => Math.Abs, "CEIL" => Math.Ceiling, _ => Math.Floor });
            default:
                Arity(1, 1);
                return Aggregate(call.Name, Evaluate(call.Arguments[0], context));
        }
    }

    private static MathValue If(MathValue condition, MathValue whenTrue, MathValue? whenFalse)
    {
        if (condition is MathValue.Scalar scalar)
        {
            return scalar.Value != 0 ? whenTrue : whenFalse ?? new MathValue.Series(new SortedDictionary<DateTimeOffset, double>());
        }

        var points = new SortedDictionary<DateTimeOffset, double>();
        foreach (var (time, value) in AsSeries(condition, "IF's condition").Points)
        {
            // Without a false value, a false condition leaves no data point.
            if (At(value != 0 ? whenTrue : whenFalse, time) is { } chosen)
            {
                points[time] = chosen;
            }
        }

        return new MathValue.Series(points);
    }

    private static double? At(MathValue? value, DateTimeOffset time) => value switch
    {
        MathValue.Scalar scalar => scalar.Value,
        MathValue.Series series => series.Points.TryGetValue(time, out var point) ? point : null,
        null => null,
        _ => throw new MetricMathException("IF's values must be numbers or time series."),
    };

    private static MathValue Fill(MathValue.Series series, MathNode with, MathContext context)
    {
        var points = new SortedDictionary<DateTimeOffset, double>(series.Points);
        var known = series.Points.ToList();
        foreach (var time in context.Timestamps.Where(time => !points.ContainsKey(time)))
        {
            var before = known.LastOrDefault(point => point.Key < time);
            var after = known.FirstOrDefault(point => point.Key > time);
            double? filled = with switch
            {
                MathNode.Keyword { Name: "REPEAT" } => before.Key == default ? null : before.Value,
                MathNode.Keyword { Name: "LINEAR" } => before.Key == default || after.Key == default ? null
                    : before.Value + ((after.Value - before.Value) * (time - before.Key).Ticks / (after.Key - before.Key).Ticks),
                _ => Evaluate(with, context) as MathValue.Scalar is { } scalar ? scalar.Value : throw new MetricMathException("FILL's second argument must be a number, REPEAT or LINEAR."),
            };
            if (filled is { } value)
            {
                points[time] = value;
            }
        }

        return new MathValue.Series(points);
    }

    /// <summary>SUM, AVG, MIN, MAX: across an array's series per timestamp (a series), or over one series (a number).</summary>
    private static MathValue Aggregate(string name, MathValue argument)
    {
        Func<IEnumerable<double>, double> reduce = name switch
        {
            "SUM" => values => values.Sum(),
            "AVG" => values => values.Average(),
            "MIN" => values => values.Min(),
            _ => values => values.Max(),
        };
        return argument switch
        {
            MathValue.Array array => new MathValue.Series(new SortedDictionary<DateTimeOffset, double>(array.Items
                .SelectMany(series => series.Points)
                .GroupBy(point => point.Key)
                .ToDictionary(group => group.Key, group => reduce(group.Select(point => point.Value))))),
            MathValue.Series series => series.Points.Count == 0 ? new MathValue.Series(new SortedDictionary<DateTimeOffset, double>()) : new MathValue.Scalar(reduce(series.Points.Values)),
            _ => argument,
        };
    }

    private static MathValue Map(MathValue value, Func<double, double> function) => value switch
    {
        MathValue.Scalar scalar => new MathValue.Scalar(function(scalar.Value)),
        MathValue.Series series => Series(series.Points.Select(point => (point.Key, function(point.Value)))),
        _ => throw new MetricMathException("An array can only be the argument of SUM, AVG, MIN or MAX."),
    };

    private static MathValue Combine(MathValue left, MathValue right, Func<double, double, double> function) => (left, right) switch
    {
        (MathValue.Scalar a, MathValue.Scalar b) => new MathValue.Scalar(function(a.Value, b.Value)),
        (MathValue.Series a, MathValue.Scalar b) => Series(a.Points.Select(point => (point.Key, function(point.Value, b.Value)))),
        (MathValue.Scalar a, MathValue.Series b) => Series(b.Points.Select(point => (point.Key, function(a.Value, point.Value)))),
        (MathValue.Series a, MathValue.Series b) => Series(a.Points.Where(point => b.Points.ContainsKey(point.Key)).Select(point => (point.Key, function(point.Value, b.Points[point.Key])))),
        _ => throw new MetricMathException("An array can only be the argument of SUM, AVG, MIN or MAX."),
    };

    /// <summary>A series of the finite results (a division by zero leaves no data point).</summary>
    private static MathValue.Series Series(IEnumerable<(DateTimeOffset Time, double Value)> points) =>
        new(new SortedDictionary<DateTimeOffset, double>(points.Where(point => double.IsFinite(point.Value)).ToDictionary(point => point.Time, point => point.Value)));

    private static MathValue.Series AsSeries(MathValue value, string what) =>
        value as MathValue.Series ?? throw new MetricMathException($"{what} must be a time series.");

    /// <summary>Recursive descent over the expression's tokens, lowest precedence first: OR, AND, NOT, comparison, + -, * /, unary -, ^.</summary>
    private sealed class Parser(string text)
    {
        private readonly List<string> tokens = Tokenize(text);
        private int position;

        public MathNode ParseAll()
        {
            var node = Or();
            return position == tokens.Count ? node : throw new MetricMathException($"Unexpected '{tokens[position]}' in the expression \"{text}\".");
        }

        private string? Peek => position < tokens.Count ? tokens[position] : null;

        private bool Accept(params string[] choices)
        {
            if (Peek is { } next && choices.Contains(next))
            {
                position++;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new MetricMathException($"Expected '{token}' {(Peek is null ? "at the end" : $"before '{Peek}'")} of the expression \"{text}\".");
            }
        }

        private MathNode Or() => Chain(And, ["OR", "||"], "OR");

        private MathNode And() => Chain(NotExpression, ["AND", "&&"], "AND");

        private MathNode Chain(Func<MathNode> next, string[] symbols, string name)
        {
            var node = next();
            while (Accept(symbols))
            {
                node = new MathNode.Binary(name, node, next());
            }

            return node;
        }

        private MathNode NotExpression() => Accept("NOT", "!") ? new MathNode.Not(NotExpression()) : Comparison();

        private MathNode Comparison()
        {
            var node = Additive();
            if (Peek is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                var symbol = tokens[position++];
                node = new MathNode.Binary(symbol, node, Additive());
            }

            return node;
        }

        private MathNode Additive() => Operators(Multiplicative, "+", "-");

        private MathNode Multiplicative() => Operators(Unary, "*", "/");

        private MathNode Operators(Func<MathNode> next, params string[] symbols)
        {
            var node = next();
            while (Peek is { } symbol && symbols.Contains(symbol))
            {
                position++;
                node = new MathNode.Binary(symbol, node, next());
            }

            return node;
        }

        private MathNode Unary() => Accept("-") ? new MathNode.Negate(Unary()) : Power();

        private MathNode Power()
        {
            var node = Primary();
            return Accept("^") ? new MathNode.Binary("^", node, Unary()) : node;
        }

        private MathNode Primary()
        {
            var token = Peek ?? throw new MetricMathException($"The expression \"{text}\" ends too early.");
            position++;
            if (token == "(")
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            if (token == "[")
            {
                var items = Arguments("]");
                return new MathNode.List(items);
            }

            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return new MathNode.Number(number);
            }

            if (!char.IsLetter(token[0]) && token[0] != '_')
            {
                throw new MetricMathException($"Unexpected '{token}' in the expression \"{text}\".");
            }

            if (Accept("("))
            {
                return new MathNode.Call(token, Arguments(")"));
            }

            return token is "REPEAT" or "LINEAR" ? new MathNode.Keyword(token) : new MathNode.Id(token);
        }

        private List<MathNode> Arguments(string close)
        {
            var items = new List<MathNode>();
            if (Accept(close))
            {
                return items;
            }

            do
            {
                items.Add(Or());
            }
            while (Accept(","));
            Expect(close);
            return items;
        }

        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            for (var index = 0; index < text.Length;)
            {
                var c = text[index];
                if (char.IsWhiteSpace(c))
                {
                    index++;
                }
                else if (char.IsDigit(c) || (c == '.' && index + 1 < text.Length && char.IsDigit(text[index + 1])))
                {
                    var start = index;
                    while (index < text.Length && (char.IsDigit(text[index]) || text[index] == '.'))
                    {
                        index++;
                    }

                    tokens.Add(text[start..index]);
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    var start = index;
                    while (index < text.Length && (char.IsLetterOrDigit(text[index]) || text[index] == '_'))
                    {
                        index++;
                    }

                    tokens.Add(text[start..index]);
                }
                else if (index + 1 < text.Length && text.Substring(index, 2) is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(text.Substring(index, 2));
                    index += 2;
                }
                else if ("+-*/^()[],<>!".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(c.ToString());
                    index++;
                }
                else
                {
                    throw new MetricMathException($"Unexpected character '{c}' in the expression \"{text}\".");
                }
            }

            return tokens;
        }
    }
}

/// <summary>A parsed metric math expression.</summary>
internal abstract record MathNode
{
    public sealed record Number(double Value) : MathNode;

    public sealed record Id(string Name) : MathNode;

    public sealed record Keyword(string Name) : MathNode;

    public sealed record List(List<MathNode> Items) : MathNode;

    public sealed record Call(string Name, List<MathNode> Arguments) : MathNode;

    public sealed record Binary(string Operator, MathNode Left, MathNode Right) : MathNode;

    public sealed record Not(MathNode Operand) : MathNode;

    public sealed record Negate(MathNode Operand) : MathNode;
}

/// <summary>What an expression yields: a number, a time series (period start → value), or an array of series.</summary>
internal abstract record MathValue
{
    public sealed record Scalar(double Value) : MathValue;

    public sealed record Series(SortedDictionary<DateTimeOffset, double> Points) : MathValue;

    public sealed record Array(List<Series> Items) : MathValue;
}

/// <summary>Where an expression is evaluated: its ids' values, the periods of the evaluation range, the period length.</summary>
internal sealed record MathContext(Func<string, MathValue> Resolve, IReadOnlyList<DateTimeOffset> Timestamps, int PeriodSeconds);

internal sealed class MetricMathException(string message) : Exception(message);
