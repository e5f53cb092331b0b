using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;

namespace Personalization.Scoring.Training;

/// <summary>One labelled example: a customer (as state), an offer for offer models, and the outcome.</summary>
public sealed record TrainingRow(CustomerState Customer, Offer? Offer, bool Label, string GroupKey);
