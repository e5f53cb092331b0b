using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// One logged change to a customer's state: what the customer grain appends to the silo's change
/// log before it acknowledges it, and what <see cref="CustomerChanges.Replay"/> applies on top of
/// the last snapshot to rebuild the customer after a crash.
/// </summary>
[GenerateSerializer]
public abstract record CustomerChange;
