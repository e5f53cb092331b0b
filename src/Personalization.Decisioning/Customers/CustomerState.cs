using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// Everything a customer grain holds, in a small fixed shape: identity, traits, time zone, consent
/// and engagement per channel, behaviour aggregates, the open cart, an hour-of-week engagement
/// histogram, a window of recent event ids for idempotency, the sends of the last 8 days (caps) and
/// the decisions whose outcomes may still come. Events change it only through
/// <see cref="CustomerEvents"/>, decisions only through <see cref="Decisions.DecisionMemory"/>.
/// </summary>
[GenerateSerializer]
public sealed class CustomerState
{
    /// <summary>Hours in a week: the histogram's size.</summary>
    public const int HoursPerWeek = 168;

    /// <summary>Days a decision is kept for its outcomes: the campaign attribution window.</summary>
    public const int OutcomeDays = Personalization.Decisioning.Campaigns.CampaignDecisions.AttributionDays;

    /// <summary>Inbound decision actions kept (the latest ones, and none older than <see cref="OutcomeDays"/>).</summary>
    public const int InboundDecisionsKept = 50;

    /// <summary>
    /// Outbound and campaign decision actions kept: all of the last <see cref="OutcomeDays"/>, up to this
    /// safety bound (the default caps allow 3 a day, 42 in 14 days).
    /// </summary>
    public const int OutboundDecisionsKept = 128;

    /// <summary>The most decision actions a customer keeps, inbound and outbound together.</summary>
    public const int DecisionsKept = InboundDecisionsKept + OutboundDecisionsKept;

    /// <summary>How many recent event ids are remembered to ignore retries.</summary>
    public const int RecentEventIdsKept = 128;

    /// <summary>Campaign marks kept; older campaigns are over long before a customer sees this many.</summary>
    public const int CampaignsKept = 64;

    /// <summary>Set on an anonymous profile once it merged into a known customer: events are forwarded there.</summary>
    [Id(0)] public string? MergedInto { get; set; }

    /// <summary>Anonymous ids merged into this customer.</summary>
    [Id(1)] public List<string> Aliases { get; set; } = [];

    /// <summary>Traits by name (lower_snake_case), each with the event time that set it.</summary>
    [Id(2)] public Dictionary<string, TraitEntry> Traits { get; set; } = [];

    /// <summary>IANA time zone id; null when unknown (UTC is used).</summary>
    [Id(3)] public string? TimeZone { get; set; }

    /// <summary>When the time zone was set (latest event time wins).</summary>
    [Id(4)] public DateTime TimeZoneSetAt { get; set; }

    /// <summary>
    /// Per channel, indexed by <see cref="Channel"/> number; null for a channel nothing has happened on yet
    /// (most customers use two or three of the eleven). Read through <see cref="Peek"/>, changed through
    /// <see cref="Channel"/>.
    /// </summary>
    [Id(5)] public ChannelState?[] Channels { get; set; } = new ChannelState?[ChannelCount];

    /// <summary>Behaviour aggregates.</summary>
    [Id(6)] public BehaviourState Behaviour { get; set; } = new();

    /// <summary>The open cart.</summary>
    [Id(7)] public CartState Cart { get; set; } = new();

    /// <summary>
    /// The histogram as stored before it was kept in small integers (field 8, 168 ints): read once and moved
    /// into <see cref="Hours"/> (<see cref="Compact"/>, or the first engagement); null in the current layout.
    /// </summary>
    [Id(8)] public int[]? HoursBefore { get; set; }

    /// <summary>
    /// Engagement (sessions, opens, clicks, conversions, purchases) by hour of week in the customer's time
    /// zone, 0 = Monday 00:00; null until the first engagement. Counts saturate by halving the whole week
    /// (its shape is what send-time choice uses). Read through <see cref="Engagement"/>.
    /// </summary>
    [Id(23)] public ushort[]? Hours { get; set; }

    /// <summary>Hashes of the latest event ids, a ring of <see cref="RecentEventIdsKept"/> that grows as it fills.</summary>
    [Id(9)] public long[] RecentEventIds { get; set; } = [];

    /// <summary>Next slot of the ring.</summary>
    [Id(10)] public int RecentEventCursor { get; set; }

    /// <summary>Event time of the earliest event.</summary>
    [Id(11)] public DateTime FirstSeenAt { get; set; }

    /// <summary>Event time of the latest event.</summary>
    [Id(12)] public DateTime LastSeenAt { get; set; }

    /// <summary>Events applied, ever.</summary>
    [Id(13)] public long EventCount { get; set; }

    /// <summary>The cached churn score; recomputed when the state changed enough, the model changed, or it aged.</summary>
    [Id(14)] public ScoreEntry? Churn { get; set; }

    /// <summary>
    /// Cached scores of the open model kinds (clv, purchase-propensity, ...), a slot per kind.
    /// Derived data: neither logged nor snapshotted; rescored after an activation.
    /// </summary>
    [field: NonSerialized]
    public KindScore[] KindScores { get; set; } = [];

    /// <summary>
    /// Decision actions given, newest last, kept to join their outcomes (and for per-offer caps): outbound
    /// ones for <see cref="OutcomeDays"/> days, inbound ones by count; see <see cref="Decisions.DecisionMemory"/>.
    /// </summary>
    [Id(15)] public List<Decisions.DecisionRecord> Decisions { get; set; } = [];

    /// <summary>Times each offer was given, ever (per-customer total caps).</summary>
    [Id(16)] public Dictionary<string, int> OfferGiven { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Decisions made for this customer, ever (numbers decision ids and seeds exploration).</summary>
    [Id(17)] public int DecisionCount { get; set; }

    /// <summary>Segments the customer belongs to, with the segment generation that admitted them.</summary>
    [Id(18)] public Dictionary<string, long> Segments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Campaigns that reached this customer (most recent <see cref="CampaignsKept"/>): the idempotency record of campaign + customer.</summary>
    [Id(19)] public List<Campaigns.CampaignMark> Campaigns { get; set; } = [];

    /// <summary>Every send of the last 8 days, oldest first, whatever decided it: what frequency caps count (see <see cref="SendHistory"/>).</summary>
    [Id(20)] public SendMark[] Sends { get; set; } = [];

    /// <summary>
    /// The customer's journey enrollments, one per journey entered (active, or the last one ended, for
    /// the re-entry policy); null for a customer never enrolled. Changed only through <see cref="Journeys.JourneySteps"/>.
    /// </summary>
    [Id(21)] public List<Journeys.Enrollment>? Journeys { get; set; }

    /// <summary>
    /// Category affinities, recently viewed, purchased and searched (bounded); null until the first
    /// product view, cart add, search or purchase with lines. Changed only through <see cref="InterestUpdates"/>.
    /// </summary>
    [Id(22)] public CustomerInterests? Interests { get; set; }

    /// <summary>
    /// Recent marketing touches (sends, deliveries, opens, clicks) for attribution, newest last, bounded by
    /// time and count; null for a customer never touched. Changed only through <see cref="Measurement.Touches"/>.
    /// </summary>
    [Id(35)] public List<Measurement.Touch>? Touches { get; set; }

    /// <summary>Whether anything has been recorded about this customer.</summary>
    public bool IsEmpty => EventCount == 0 && MergedInto is null;

    /// <summary>How many channels there are (the size of <see cref="Channels"/>).</summary>
    public static readonly int ChannelCount = Enum.GetValues<Channel>().Length;

    /// <summary>The state of one channel, for changing it: created on first use.</summary>
    public ChannelState Channel(Channel channel) => Channels[(int)channel] ??= new ChannelState();

    /// <summary>
    /// The state of one channel, for reading only: a channel never used reads as the shared
    /// <see cref="ChannelState.Unused"/> (nothing is allocated), which must never be changed.
    /// </summary>
    public ChannelState Peek(Channel channel) => Channels[(int)channel] ?? ChannelState.Unused;

    /// <summary>Engagement counted in one hour of the week (0 = Monday 00:00, local time).</summary>
    public int Engagement(int hourOfWeek) => Hours is { } hours ? hours[hourOfWeek] : HoursBefore?[hourOfWeek] ?? 0;

    /// <summary>Adds <paramref name="count"/> engagements to an hour of the week; at the top of the range the whole week halves first.</summary>
    public void Engage(int hourOfWeek, int count = 1)
    {
        MoveHours();
        var hours = Hours ??= new ushort[HoursPerWeek];
        while (hours[hourOfWeek] + count > ushort.MaxValue)
        {
            for (var h = 0; h < hours.Length; h++)
            {
                hours[h] >>= 1;
            }

            count = Math.Min(count, ushort.MaxValue / 2);
        }

        hours[hourOfWeek] += (ushort)count;
    }

    /// <summary>
    /// Brings a state stored in an older layout to the current one: drops the records of channels nothing has
    /// happened on (a state stored before channels were kept sparse carries all eleven) and moves the hour-of-week
    /// histogram into small integers and remembered decision ids into their compact form, and shares the names its
    /// decisions repeat. Changes nothing a reader can see (beyond counts above 65,535 halving).
    /// </summary>
    public void Compact()
    {
        if (Channels.Length < ChannelCount)
        {
            var grown = Channels;
            Array.Resize(ref grown, ChannelCount);
            Channels = grown;
        }

        for (var c = 0; c < Channels.Length; c++)
        {
            if (Channels[c] is { IsUnused: true })
            {
                Channels[c] = null;
            }
        }

        MoveHours();
        foreach (var decision in Decisions)
        {
            if (decision.IdText is { } text)
            {
                decision.Key = Personalization.Decisioning.Decisions.DecisionKey.Of(text);
            }

            // Read back from storage each record has its own copy of names every customer shares (offer,
            // arm, model versions, campaign): one copy each for the process. All are the service's own
            // names (catalog, models, campaigns), a bounded set.
            decision.OfferId = string.Intern(decision.OfferId);
            decision.Arm = string.Intern(decision.Arm);
            decision.OfferModelVersion = decision.OfferModelVersion is { } offerModel ? string.Intern(offerModel) : null;
            decision.ChurnModelVersion = decision.ChurnModelVersion is { } churnModel ? string.Intern(churnModel) : null;
            decision.CampaignId = decision.CampaignId is { } campaign ? string.Intern(campaign) : null;
            decision.JourneyId = decision.JourneyId is { } journey ? string.Intern(journey) : null;
            decision.JourneyStep = decision.JourneyStep is { } step ? string.Intern(step) : null;
        }
    }

    // Moves a histogram stored in the layout before into the small-integer one.
    private void MoveHours()
    {
        if (HoursBefore is not { } before)
        {
            return;
        }

        HoursBefore = null;
        for (var h = 0; h < Math.Min(before.Length, HoursPerWeek); h++)
        {
            if (before[h] > 0)
            {
                Engage(h, before[h]);
            }
        }
    }
}
