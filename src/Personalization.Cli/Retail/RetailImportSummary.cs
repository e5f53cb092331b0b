namespace Personalization.Cli.Retail;

/// <summary>What a retail import sent and what the service did with it.</summary>
public sealed record RetailImportSummary(int Products, int ProductsCreated, int ProductsUpdated, int Customers, int Purchases, int Accepted, int Duplicates, int Rejected);
