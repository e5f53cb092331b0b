namespace Personalization.Decisioning.Customers;

/// <summary>
/// How events change a customer's state. Deterministic and free of I/O: the grain calls it, the
/// tests call it directly. Every aggregate that depends on time uses the event's time, so late and
/// out-of-order events land where they belong; "latest wins" fields compare event times.
/// </summary>
public static class CustomerEvents
{
    /// <summary>The purpose consent defaults to when an event names none.</summary>
    public const string DefaultPurpose = "marketing";

    /// <summary>Applies a validated event, unless its id was seen recently.</summary>
    public static ApplyOutcome Apply(CustomerState state, CustomerEvent e)
    {
        var idHash = EventIdHash.Of(e.EventId);
        if (Array.IndexOf(state.RecentEventIds, idHash) >= 0)
        {
            return ApplyOutcome.Duplicate;
        }

        Remember(state, idHash);
        Seen(state, e.OccurredAt);
        state.EventCount++;
        if (!PersonalizationConsent.Keeps(e.Type) && PersonalizationConsent.IsWithdrawn(state))
        {
            // Do not personalise: the event is acknowledged (and deduplicated) but builds no profile.
            return ApplyOutcome.Applied;
        }

        InterestUpdates.Apply(state, e);

        switch (e.Type)
        {
            case CustomerEventType.SessionStarted:
                state.Behaviour.Sessions++;
                Day(state, e.OccurredAt).Sessions++;
                Engaged(state, e.OccurredAt);
                break;
            case CustomerEventType.PageView or CustomerEventType.ScreenView or CustomerEventType.ProductView:
                state.Behaviour.Views++;
                Day(state, e.OccurredAt).Views++;
                break;
            case CustomerEventType.Search:
                state.Behaviour.Searches++;
                break;
            case CustomerEventType.AddToCart:
                state.Behaviour.CartAdds++;
                ChangeCart(state, e.Items![0], e.OccurredAt, +1);
                break;
            case CustomerEventType.RemoveFromCart:
                ChangeCart(state, e.Items![0], e.OccurredAt, -1);
                break;
            case CustomerEventType.CheckoutStarted:
                state.Behaviour.Checkouts++;
                break;
            case CustomerEventType.Purchase:
                Purchase(state, e);
                break;
            case CustomerEventType.SubscriptionChange:
                state.Behaviour.SubscriptionChanges++;
                if (e.ToPlan is { Length: > 0 } plan)
                {
                    SetTrait(state, "plan", TraitValue.Of(plan), e.OccurredAt);
                }

                break;
            case CustomerEventType.StoreVisit:
                state.Behaviour.StoreVisits++;
                break;
            case CustomerEventType.CallCenterContact:
                state.Behaviour.CallCenterContacts++;
                Contact(state, e);
                break;
            case CustomerEventType.Complaint:
                state.Behaviour.Complaints++;
                Contact(state, e);
                break;
            case CustomerEventType.MessageSent or CustomerEventType.MessageDelivered or CustomerEventType.MessageOpened
                or CustomerEventType.MessageClicked or CustomerEventType.MessageConverted or CustomerEventType.MessageBounced:
                Message(state, e);
                break;
            case CustomerEventType.Unsubscribed:
                Suppress(state.Channel(e.Channel), "unsubscribed", e.OccurredAt);
                SetConsent(state.Channel(e.Channel), DefaultPurpose, granted: false, e.OccurredAt);
                break;
            case CustomerEventType.SpamComplaint:
                Suppress(state.Channel(e.Channel), "spam complaint", e.OccurredAt);
                break;
            case CustomerEventType.ConsentGranted or CustomerEventType.ConsentWithdrawn:
                Consent(state.Channel(e.Channel), e);
                if (e.Type == CustomerEventType.ConsentWithdrawn && e.Purpose == PersonalizationConsent.Purpose && PersonalizationConsent.IsWithdrawn(state))
                {
                    PersonalizationConsent.Forget(state);
                }

                break;
            case CustomerEventType.TraitsSet:
                foreach (var (name, value) in e.Traits!)
                {
                    SetTrait(state, name, value, e.OccurredAt);
                }

                break;
            case CustomerEventType.TimeZoneSet when e.OccurredAt >= state.TimeZoneSetAt:
                state.TimeZone = e.TimeZone;
                state.TimeZoneSetAt = e.OccurredAt;
                break;
            case CustomerEventType.Identify when e.LinkedAnonymousId is { } alias && !state.Aliases.Contains(alias):
                state.Aliases.Add(alias);
                break;
        }

        return ApplyOutcome.Applied;
    }

    /// <summary>
    /// Merges an anonymous visitor's state into a known customer's: counters add, the latest event
    /// time wins for traits, consent, time zone and reachability, and the visitor's id becomes an alias.
    /// </summary>
    public static void Merge(CustomerState target, CustomerState source, string sourceAlias)
    {
        foreach (var (name, entry) in source.Traits)
        {
            SetTrait(target, name, entry.Value, entry.SetAt);
        }

        if (source.TimeZone is not null && source.TimeZoneSetAt >= target.TimeZoneSetAt)
        {
            target.TimeZone = source.TimeZone;
            target.TimeZoneSetAt = source.TimeZoneSetAt;
        }

        for (var c = 0; c < source.Channels.Length; c++)
        {
            if (source.Channels[c] is { } used)
            {
                MergeChannel(target.Channel((Channel)c), used);
            }
        }

        MergeBehaviour(target.Behaviour, source.Behaviour);
        InterestUpdates.Merge(target, source);
        SendHistory.Merge(target, source);
        foreach (var line in source.Cart.Lines.Values)
        {
            ChangeCart(target, line, source.Cart.UpdatedAt, +1);
        }

        for (var h = 0; h < CustomerState.HoursPerWeek; h++)
        {
            if (source.Engagement(h) is > 0 and var count)
            {
                target.Engage(h, count);
            }
        }

        foreach (var id in source.RecentEventIds.Where(id => id != 0 && Array.IndexOf(target.RecentEventIds, id) < 0))
        {
            Remember(target, id);
        }

        foreach (var alias in source.Aliases.Append(sourceAlias).Where(a => !target.Aliases.Contains(a)))
        {
            target.Aliases.Add(alias);
        }

        if (source.EventCount > 0)
        {
            Seen(target, source.FirstSeenAt);
            Seen(target, source.LastSeenAt);
        }

        target.EventCount += source.EventCount;
        if (PersonalizationConsent.IsWithdrawn(target))
        {
            // A visitor's browsing merged into a customer who withdrew personalization consent (or who withdrew as the visitor) builds no profile.
            PersonalizationConsent.Forget(target);
        }
    }

    // The ring starts empty and doubles (8, 16, … 128) while it fills, so a customer with a few
    // events carries a few ids, not 128 slots; full, it overwrites the oldest.
    private static void Remember(CustomerState state, long idHash)
    {
        if (state.RecentEventCursor >= state.RecentEventIds.Length)
        {
            var grown = state.RecentEventIds;
            Array.Resize(ref grown, Math.Min(CustomerState.RecentEventIdsKept, Math.Max(8, grown.Length * 2)));
            state.RecentEventIds = grown;
        }

        state.RecentEventIds[state.RecentEventCursor] = idHash;
        state.RecentEventCursor = (state.RecentEventCursor + 1) % CustomerState.RecentEventIdsKept;
    }

    private static void Seen(CustomerState state, DateTime at)
    {
        if (state.FirstSeenAt == default || at < state.FirstSeenAt)
        {
            state.FirstSeenAt = at;
        }

        if (at > state.LastSeenAt)
        {
            state.LastSeenAt = at;
        }
    }

    private static void Engaged(CustomerState state, DateTime at)
    {
        // Engagement hours are a profile of habits: not kept without personalization consent.
        if (!PersonalizationConsent.IsWithdrawn(state))
        {
            state.Engage(TimeZones.HourOfWeek(at, state.TimeZone));
        }
    }

    private static DailyActivity Day(CustomerState state, DateTime at)
    {
        var day = DayNumber(at);
        var days = state.Behaviour.Days;
        var existing = days.Find(d => d.Day == day);
        if (existing is not null)
        {
            return existing;
        }

        var entry = new DailyActivity { Day = day };
        days.Add(entry);
        days.Sort((a, b) => a.Day.CompareTo(b.Day));
        if (days.Count > BehaviourState.DaysKept)
        {
            // Keep the most recent days of event time; a late event older than them only counts in totals.
            days.RemoveAt(0);
        }

        return entry;
    }

    /// <summary>Days since 0001-01-01 of a UTC time.</summary>
    public static int DayNumber(DateTime at) => (int)(at.Ticks / TimeSpan.TicksPerDay);

    private static void ChangeCart(CustomerState state, LineItem item, DateTime at, int direction)
    {
        var cart = state.Cart;
        // A cart change older than the latest purchase belongs to a cart that purchase closed.
        if (at < state.Behaviour.LastPurchaseAt)
        {
            return;
        }

        var quantity = (cart.Lines.TryGetValue(item.ProductId, out var line) ? line.Quantity : 0) + (direction * item.Quantity);
        if (quantity > 0)
        {
            cart.Lines[item.ProductId] = item with { Quantity = quantity };
        }
        else
        {
            cart.Lines.Remove(item.ProductId);
        }

        if (cart.Lines.Count == 0)
        {
            cart.Since = default;
        }
        else if (cart.Since == default || at < cart.Since)
        {
            cart.Since = at;
        }

        if (at > cart.UpdatedAt)
        {
            cart.UpdatedAt = at;
        }
    }

    private static void Purchase(CustomerState state, CustomerEvent e)
    {
        var behaviour = state.Behaviour;
        behaviour.Purchases++;
        behaviour.Revenue += e.Amount;
        Day(state, e.OccurredAt).Purchases++;
        if (e.OccurredAt > behaviour.LastPurchaseAt)
        {
            behaviour.LastPurchaseAt = e.OccurredAt;
        }

        if (behaviour.FirstPurchaseAt == default || e.OccurredAt < behaviour.FirstPurchaseAt)
        {
            behaviour.FirstPurchaseAt = e.OccurredAt;
        }

        // The purchase closes every cart change made up to it.
        if (e.OccurredAt >= state.Cart.UpdatedAt)
        {
            state.Cart.Lines.Clear();
            state.Cart.Since = default;
        }

        Engaged(state, e.OccurredAt);
    }

    private static void Contact(CustomerState state, CustomerEvent e)
    {
        if (e.OccurredAt >= state.Behaviour.LastContactAt)
        {
            state.Behaviour.LastContactAt = e.OccurredAt;
            state.Behaviour.LastContactReason = e.Reason;
        }
    }

    private static void Message(CustomerState state, CustomerEvent e)
    {
        var channel = state.Channel(e.Channel);
        if (e.OccurredAt > channel.LastAt)
        {
            channel.LastAt = e.OccurredAt;
        }

        switch (e.Type)
        {
            case CustomerEventType.MessageSent:
                channel.Sent++;
                // Before the channel's own list: a state with no send history yet seeds it from that list.
                SendHistory.Reported(state, e);
                InsertSend(channel, e.OccurredAt);
                break;
            case CustomerEventType.MessageDelivered:
                channel.Delivered++;
                SetReachable(channel, true, e.OccurredAt);
                break;
            case CustomerEventType.MessageOpened:
                channel.Opened++;
                Engaged(state, e.OccurredAt);
                break;
            case CustomerEventType.MessageClicked:
                channel.Clicked++;
                Engaged(state, e.OccurredAt);
                break;
            case CustomerEventType.MessageConverted:
                channel.Converted++;
                Engaged(state, e.OccurredAt);
                break;
            case CustomerEventType.MessageBounced:
                channel.Bounced++;
                if (e.HardBounce)
                {
                    SetReachable(channel, false, e.OccurredAt);
                    Suppress(channel, "hard bounce", e.OccurredAt);
                }

                break;
        }
    }

    private static void InsertSend(ChannelState channel, DateTime at)
    {
        var sends = channel.RecentSends;
        var index = sends.BinarySearch(at);
        sends.Insert(index < 0 ? ~index : index, at);
        if (sends.Count > ChannelState.RecentSendsKept)
        {
            sends.RemoveAt(0);
        }
    }

    private static void SetReachable(ChannelState channel, bool reachable, DateTime at)
    {
        if (at < channel.ReachableChangedAt)
        {
            return;
        }

        channel.Reachable = reachable;
        channel.ReachableChangedAt = at;
        if (reachable && channel.SuppressedReason == "hard bounce" && at > channel.SuppressedAt)
        {
            channel.SuppressedReason = null;
        }
    }

    private static void Suppress(ChannelState channel, string reason, DateTime at)
    {
        if (channel.SuppressedReason is null || at >= channel.SuppressedAt)
        {
            channel.SuppressedReason = reason;
            channel.SuppressedAt = at;
        }
    }

    private static void Consent(ChannelState channel, CustomerEvent e)
    {
        var granted = e.Type == CustomerEventType.ConsentGranted;
        var purpose = e.Purpose is { Length: > 0 } p ? p : DefaultPurpose;
        if (!SetConsent(channel, purpose, granted, e.OccurredAt))
        {
            return;
        }

        // Granting marketing consent after an unsubscribe re-subscribes; a spam complaint or a hard bounce stays.
        if (granted && purpose == DefaultPurpose && channel.SuppressedReason == "unsubscribed" && e.OccurredAt > channel.SuppressedAt)
        {
            channel.SuppressedReason = null;
        }
    }

    private static bool SetConsent(ChannelState channel, string purpose, bool granted, DateTime at)
    {
        if (channel.Consent.TryGetValue(purpose, out var current) && current.At > at)
        {
            return false;
        }

        channel.Consent[purpose] = new ConsentEntry(granted, at);
        return true;
    }

    private static void SetTrait(CustomerState state, string name, TraitValue value, DateTime at)
    {
        if (!state.Traits.TryGetValue(name, out var current) || at >= current.SetAt)
        {
            state.Traits[name] = new TraitEntry(value, at);
        }
    }

    private static void MergeChannel(ChannelState target, ChannelState source)
    {
        foreach (var (purpose, entry) in source.Consent)
        {
            SetConsent(target, purpose, entry.Granted, entry.At);
        }

        if (source.SuppressedReason is not null)
        {
            Suppress(target, source.SuppressedReason, source.SuppressedAt);
        }

        if (source.ReachableChangedAt > target.ReachableChangedAt)
        {
            target.Reachable = source.Reachable;
            target.ReachableChangedAt = source.ReachableChangedAt;
        }

        target.Sent += source.Sent;
        target.Delivered += source.Delivered;
        target.Opened += source.Opened;
        target.Clicked += source.Clicked;
        target.Converted += source.Converted;
        target.Bounced += source.Bounced;
        if (source.LastAt > target.LastAt)
        {
            target.LastAt = source.LastAt;
        }

        foreach (var send in source.RecentSends)
        {
            InsertSend(target, send);
        }
    }

    private static void MergeBehaviour(BehaviourState target, BehaviourState source)
    {
        target.Sessions += source.Sessions;
        target.Views += source.Views;
        target.Searches += source.Searches;
        target.CartAdds += source.CartAdds;
        target.Checkouts += source.Checkouts;
        target.Purchases += source.Purchases;
        target.Revenue += source.Revenue;
        target.StoreVisits += source.StoreVisits;
        target.CallCenterContacts += source.CallCenterContacts;
        target.Complaints += source.Complaints;
        target.SubscriptionChanges += source.SubscriptionChanges;
        if (source.LastPurchaseAt > target.LastPurchaseAt)
        {
            target.LastPurchaseAt = source.LastPurchaseAt;
        }

        if (source.FirstPurchaseAt != default && (target.FirstPurchaseAt == default || source.FirstPurchaseAt < target.FirstPurchaseAt))
        {
            target.FirstPurchaseAt = source.FirstPurchaseAt;
        }

        if (source.LastContactAt > target.LastContactAt)
        {
            target.LastContactAt = source.LastContactAt;
            target.LastContactReason = source.LastContactReason;
        }

        foreach (var day in source.Days)
        {
            var existing = target.Days.Find(d => d.Day == day.Day);
            if (existing is null)
            {
                target.Days.Add(new DailyActivity { Day = day.Day, Sessions = day.Sessions, Views = day.Views, Purchases = day.Purchases });
            }
            else
            {
                existing.Sessions += day.Sessions;
                existing.Views += day.Views;
                existing.Purchases += day.Purchases;
            }
        }

        target.Days.Sort((a, b) => a.Day.CompareTo(b.Day));
        while (target.Days.Count > BehaviourState.DaysKept)
        {
            target.Days.RemoveAt(0);
        }
    }
}
