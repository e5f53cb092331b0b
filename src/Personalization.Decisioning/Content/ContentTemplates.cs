using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Decisioning.Content;

/// <summary>
/// Offer content as Liquid templates (Fluid): parsed once (when the offer is saved, then cached by
/// text), rendered per decision with the customer's traits and aggregates, the request's context,
/// the offer and the recommended items. Missing values render empty; rendering stops after
/// <see cref="MaxSteps"/> steps, <see cref="MaxChars"/> characters or <see cref="MaxTime"/>.
/// </summary>
public static class ContentTemplates
{
    /// <summary>Longest template accepted, in characters.</summary>
    public const int MaxTemplateLength = 16_384;

    /// <summary>Longest rendered content, in characters; longer output is cut here.</summary>
    public const int MaxChars = 16_384;

    /// <summary>Most template steps (tags, loop turns) one rendering may take.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>
    /// Longest one rendering may take by the wall clock; past it the content is empty. A backstop behind
    /// <see cref="MaxSteps"/> and <see cref="MaxChars"/>, which bound the work: at 50 ms a first rendering (Fluid's code
    /// still being compiled) on a loaded machine came back empty, so it is a second.
    /// </summary>
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(1);

    private static readonly FluidParser Parser = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    private static readonly TemplateOptions Options = new()
    {
        MaxSteps = MaxSteps,
        MaxRecursion = 16,
        CultureInfo = CultureInfo.InvariantCulture,
        TimeZone = TimeZoneInfo.Utc,
    };

    /// <summary>Why a template cannot be used (with its line and column), or null when it parses.</summary>
    public static string? Check(string template)
    {
        if (template.Length > MaxTemplateLength)
        {
            return $"at most {MaxTemplateLength} characters, got {template.Length}.";
        }

        if (Parsed.ContainsKey(template))
        {
            return null;
        }

        if (!Parser.TryParse(template, out var parsed, out var error))
        {
            // Fluid's message ends "at (line:column)" then repeats the source: keep the first line.
            return error.Split('\n')[0].Trim();
        }

        Parsed.TryAdd(template, parsed);
        return null;
    }

    /// <summary>
    /// Renders the offer's content for a channel and placement; "" when it has none. The problem is
    /// set when rendering was cut short (too long, too many steps, too slow) or the template is bad.
    /// <paramref name="maxTime"/> is <see cref="MaxTime"/> unless given (a test of another bound gives a long one, so a
    /// loaded machine's pause does not end the rendering first).
    /// </summary>
    public static (string Content, string? Problem) Render(Offer offer, Channel channel, string placement, CustomerState state, string customerId, PlacementContext context, IReadOnlyList<RecommendedItem> items, DateTime now, TimeSpan? maxTime = null)
    {
        if (OfferContent.Best(offer.Contents, channel, placement) is not { } content)
        {
            return ("", null);
        }

        if (!Parsed.TryGetValue(content.Template, out var template) && !Parser.TryParse(content.Template, out template, out _))
        {
            return ("", "content template does not parse");
        }

        Parsed.TryAdd(content.Template, template);
        var model = new TemplateContext(Options);
        model.SetValue("customer", Value(CustomerModel(state, customerId, now)));
        model.SetValue("traits", Value(Traits(state)));
        model.SetValue("aggregates", Value(Aggregates(state, now)));
        model.SetValue("context", Value(ContextModel(context, state, now)));
        model.SetValue("offer", Value(OfferModel(offer)));
        model.SetValue("channel", StringValue.Create(Name(channel)));
        model.SetValue("placement", StringValue.Create(placement));
        model.SetValue("items", Value(items.Select(ItemModel).ToList()));

        // Text channels get the values as they are; the others (web, app, email…) show HTML, so values are escaped.
        TextEncoder encoder = EscapesHtml(channel) ? HtmlEncoder.Default : NullEncoder.Default;
        using var writer = new BoundedWriter(MaxChars, maxTime ?? MaxTime);
        try
        {
            var rendering = template.RenderAsync(writer, encoder, model);
            if (!rendering.IsCompletedSuccessfully)
            {
                rendering.AsTask().GetAwaiter().GetResult();
            }

            return (writer.ToString(), null);
        }
        catch (BoundedWriter.FullException)
        {
            return (writer.ToString(), $"content cut at {MaxChars} characters");
        }
        catch (BoundedWriter.SlowException)
        {
            return ("", $"content took longer than {(maxTime ?? MaxTime).TotalMilliseconds} ms to render");
        }
        catch (InvalidOperationException ex)
        {
            // Fluid throws this when MaxSteps or MaxRecursion is reached.
            return ("", $"content not rendered: {ex.Message}");
        }
    }

    /// <summary>The names a template can read (README: content templates).</summary>
    public static IReadOnlyList<string> Variables { get; } =
        ["customer.id", "customer.time_zone", "customer.local_hour", "traits.<name>", "aggregates.<name>", "context.placement", "context.page", "context.product_id", "context.device", "context.local_hour", "context.attributes.<name>", "offer.id", "offer.name", "offer.type", "offer.reward", "offer.difficulty", "offer.duration_days", "offer.value", "channel", "placement", "items[].product_id", "items[].name", "items[].category", "items[].price", "items[].tags", "items[].reason", "items[].score"];

    private static FluidValue Value(object? value) => FluidValue.Create(value, Options);

    private static Dictionary<string, object?> CustomerModel(CustomerState state, string customerId, DateTime now) => new(StringComparer.Ordinal)
    {
        ["id"] = customerId,
        ["time_zone"] = state.TimeZone ?? "",
        ["local_hour"] = TimeZones.Local(now, state.TimeZone).Hour,
    };

    private static Dictionary<string, object?> Traits(CustomerState state)
    {
        var traits = new Dictionary<string, object?>(state.Traits.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in state.Traits)
        {
            traits[name] = entry.Value.Kind switch
            {
                TraitKind.Integer => entry.Value.Integer,
                TraitKind.Real => entry.Value.Real,
                TraitKind.Boolean => entry.Value.Boolean,
                _ => entry.Value.ToString(),
            };
        }

        return traits;
    }

    private static Dictionary<string, object?> Aggregates(CustomerState state, DateTime now)
    {
        var aggregates = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in CustomerFeatures.AggregateNames)
        {
            var value = CustomerFeatures.Number(state, name, now);
            if (!float.IsNaN(value))
            {
                aggregates[name] = Math.Round((double)value, 2);
            }
        }

        return aggregates;
    }

    private static Dictionary<string, object?> ContextModel(PlacementContext context, CustomerState state, DateTime now)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Attributes ?? new Dictionary<string, TraitValue>())
        {
            attributes[name] = value.AsNumber() is { } number && value.Kind != TraitKind.Boolean ? number : value.ToString();
        }

        return new(StringComparer.Ordinal)
        {
            ["placement"] = context.Placement,
            ["page"] = context.Page,
            ["product_id"] = context.ProductId,
            ["device"] = context.Device,
            ["local_hour"] = context.LocalHour(state, now),
            ["attributes"] = attributes,
        };
    }

    // One recommended product as a template sees it: items[0].name, item.price…
    private static Dictionary<string, object?> ItemModel(RecommendedItem item) => new(StringComparer.Ordinal)
    {
        ["product_id"] = item.Product.ProductId,
        ["name"] = item.Product.Name,
        ["category"] = item.Product.Category,
        ["price"] = item.Product.Price,
        ["tags"] = item.Product.Tags,
        ["reason"] = item.Reason,
        ["score"] = Math.Round(item.Score, 4),
    };

    private static Dictionary<string, object?> OfferModel(Offer offer) => new(StringComparer.Ordinal)
    {
        ["id"] = offer.OfferId,
        ["name"] = offer.Name,
        ["type"] = offer.Type.ToString().ToLowerInvariant(),
        ["reward"] = offer.Reward,
        ["difficulty"] = offer.Difficulty,
        ["duration_days"] = offer.DurationDays,
        ["value"] = offer.Value,
    };

    /// <summary>Whether any of the offer's templates may read <c>items</c> (a plain text check: a false yes only costs a recommendation).</summary>
    public static bool ReadsItems(Offer offer) => offer.Contents.Any(c => c.Template.Contains("items", StringComparison.Ordinal));

    /// <summary>Whether a channel's content escapes values as HTML (every channel but the text ones, SMS and push).</summary>
    public static bool EscapesHtml(Channel channel) => channel is not (Channel.Sms or Channel.Push);

    private static string Name(Channel channel) => TraitParsing.SnakeCase(channel.ToString());

    // A writer that stops a rendering past a size or a time: Fluid's step limit bounds loops, this bounds output and the clock.
    private sealed class BoundedWriter(int maxChars, TimeSpan maxTime) : StringWriter(CultureInfo.InvariantCulture)
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            var room = maxChars - GetStringBuilder().Length;
            if (value.Length > room)
            {
                base.Write(value[..Math.Max(0, room)]);
                throw new FullException();
            }

            Check(0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Write(buffer.ToString());

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(char[] buffer, int index, int count)
        {
            Write(buffer, index, count);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return Task.CompletedTask;
        }

        private void Check(int adding)
        {
            if (GetStringBuilder().Length + adding > maxChars)
            {
                throw new FullException();
            }

            if (Stopwatch.GetElapsedTime(_started) > maxTime)
            {
                throw new SlowException();
            }
        }

        public sealed class FullException : Exception;

        public sealed class SlowException : Exception;
    }
}
