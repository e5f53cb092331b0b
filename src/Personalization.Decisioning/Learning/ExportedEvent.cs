using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Learning;

/// <summary>An event a customer grain applied, for the data-lake export: the customer's key and when it was applied.</summary>
public sealed record ExportedEvent(string CustomerKey, CustomerEvent Event, DateTime AppliedAt);
