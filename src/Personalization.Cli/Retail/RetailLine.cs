namespace Personalization.Cli.Retail;

/// <summary>One kept invoice line of the Online Retail data: a real product bought by a known customer.</summary>
public sealed record RetailLine(string InvoiceNo, string StockCode, string Description, int Quantity, DateTime At, double UnitPrice, string CustomerId, string Country);
