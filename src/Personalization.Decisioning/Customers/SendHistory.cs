using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// The sends a customer received, whatever decided them, for frequency caps: every outbound action
/// this service decides (inbound calls, outbound calls, campaigns) and every <c>MESSAGE_SENT</c> a
/// connector reports, each send once. Kept by time, not by count, so no number of inbound decisions
/// or other events can push a send out of a cap window early.
/// </summary>
public static class SendHistory
{
    /// <summary>
    /// How long a send is kept: the longest cap window (7 days) and one day more, because an outbound
    /// action is decided up to a day before it goes out and the history is pruned from its newest send.
    /// </summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(8);

    /// <summary>
    /// A safety bound on the sends kept (2 KB): beyond it the oldest drop. A customer with this many
    /// sends in 8 days is over any cap below it, so caps up to this bound still hold.
    /// </summary>
    public const int MaxKept = 256;

    private static readonly int KeptMinutes = (int)Kept.TotalMinutes;

    /// <summary>Sends on a channel (or any, when null) later than <paramref name="now"/> − <paramref name="window"/>, those already planned for later included.</summary>
    public static int Count(CustomerState state, Channel? channel, TimeSpan window, DateTime now)
    {
        var since = now - window;
        var count = 0;
        foreach (var mark in state.Sends.Length > 0 ? state.Sends : Legacy(state))
        {
            if ((channel is null || mark.Channel == channel) && mark.After(since))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Records a send on <paramref name="channel"/> at <paramref name="at"/>.</summary>
    public static void Add(CustomerState state, Channel channel, DateTime at) => Store(state, [SendMark.Of(channel, at)]);

    /// <summary>
    /// A connector's <c>MESSAGE_SENT</c>. It counts unless its <c>message.decision_id</c> (and its
    /// <c>offer_id</c>, when given) names an outbound action on the same channel that the state
    /// remembers: that action counted its send when it was decided, at its planned time.
    /// </summary>
    public static void Reported(CustomerState state, CustomerEvent e)
    {
        if (e.DecisionId is { Length: > 0 } decisionId && DecisionKey.Of(decisionId) is var key
            && state.Decisions.Exists(d => d.Is(key) && d.Mode == DecisionMode.Outbound && d.Channel == e.Channel
                && (string.IsNullOrEmpty(e.OfferId) || d.OfferId == e.OfferId)))
        {
            return;
        }

        Add(state, e.Channel, e.OccurredAt);
    }

    /// <summary>Adds the sends of <paramref name="source"/> (an anonymous visitor merging in) to <paramref name="target"/>.</summary>
    public static void Merge(CustomerState target, CustomerState source)
    {
        var marks = source.Sends.Length > 0 ? source.Sends : [.. Legacy(source)];
        if (marks.Length > 0)
        {
            Store(target, marks);
        }
    }

    // Sorted oldest first; pruned by age from the newest send, then to the safety bound.
    private static void Store(CustomerState state, IEnumerable<SendMark> added)
    {
        var marks = new List<SendMark>(state.Sends.Length > 0 ? state.Sends : Legacy(state));
        marks.AddRange(added);
        marks.Sort((a, b) => a.Minute.CompareTo(b.Minute));
        var cutoff = marks[^1].Minute - KeptMinutes;
        var first = Math.Max(marks.FindIndex(m => m.Minute >= cutoff), marks.Count - MaxKept);
        state.Sends = [.. marks.Skip(first)];
    }

    // A state stored before the history existed has an empty one; its sends are then its remembered
    // outbound decisions and the sends connectors reported. A state that ever recorded a send keeps at
    // least its newest, so an empty history means exactly that. Where both a decision and a connector
    // reported the same send, it counts twice until it leaves the window: caps err towards fewer messages.
    private static IEnumerable<SendMark> Legacy(CustomerState state)
    {
        foreach (var decision in state.Decisions)
        {
            if (decision.Mode == DecisionMode.Outbound)
            {
                yield return SendMark.Of(decision.Channel, decision.SendAt);
            }
        }

        for (var c = 0; c < state.Channels.Length; c++)
        {
            foreach (var at in state.Channels[c]?.RecentSends ?? [])
            {
                yield return SendMark.Of((Channel)c, at);
            }
        }
    }
}
