using System.Globalization;
using System.Text;

namespace Personalization.Decisioning.Customers;

/// <summary>Types a raw text value the way imports and training read data files.</summary>
public static class TraitParsing
{
    /// <summary>Integers, reals, yes/no and true/false as booleans; anything else as text.</summary>
    public static TraitValue Typed(string raw)
    {
        var text = raw.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return TraitValue.Of(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return TraitValue.Of(real);
        }

        return text.ToLowerInvariant() switch
        {
            "yes" or "true" => TraitValue.Of(true),
            "no" or "false" => TraitValue.Of(false),
            _ => TraitValue.Of(text),
        };
    }

    /// <summary>lower_snake_case of a column name: "MonthlyCharges" → "monthly_charges", "customerID" → "customer_id".</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (boundary && builder.Length > 0 && builder[^1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var snake = builder.ToString().Trim('_');
        return snake.Length > 0 && char.IsDigit(snake[0]) ? "f_" + snake : snake;
    }
}
