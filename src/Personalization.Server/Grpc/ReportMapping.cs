using Personalization.Decisioning.Measurement;
using Personalization.V1;
using DomainModel = Personalization.Decisioning.Measurement.AttributionModel;
using V1Model = Personalization.V1.AttributionModel;

namespace Personalization.Server.Grpc;

/// <summary>Maps reports between the contract and the domain.</summary>
public static class ReportMapping
{
    /// <summary>The dimension kind a report groups by (unspecified: the service row); an unknown value is INVALID_ARGUMENT.</summary>
    public static string Kind(ReportDimension dimension) => dimension switch
    {
        ReportDimension.Unspecified or ReportDimension.Service => KpiDimension.Service,
        ReportDimension.Campaign => "campaign",
        ReportDimension.Journey => "journey",
        ReportDimension.Offer => "offer",
        ReportDimension.Channel => "channel",
        ReportDimension.Segment => KpiDimension.Segment,
        _ => throw GrpcErrors.Invalid($"dimension: unknown report dimension {(int)dimension}."),
    };

    /// <summary>The attribution model (unspecified: last touch); an unknown value is INVALID_ARGUMENT.</summary>
    public static DomainModel ToDomain(V1Model model) => model switch
    {
        V1Model.Unspecified or V1Model.LastTouch => DomainModel.LastTouch,
        V1Model.FirstTouch => DomainModel.FirstTouch,
        V1Model.Linear => DomainModel.Linear,
        V1Model.TimeDecay => DomainModel.TimeDecay,
        V1Model.PositionBased => DomainModel.PositionBased,
        _ => throw GrpcErrors.Invalid($"model: unknown attribution model {(int)model}."),
    };

    /// <summary>The contract's value of a model.</summary>
    public static V1Model ToContract(DomainModel model) => (V1Model)((int)model + 1);

    /// <summary>A row as the contract has it.</summary>
    public static ReportRow ToContract(KpiRow row) => new()
    {
        Dimension = row.Kind,
        Id = row.Id,
        Sends = row.Sends,
        Deliveries = row.Deliveries,
        Opens = row.Opens,
        Clicks = row.Clicks,
        Purchases = row.Purchases,
        Revenue = row.Revenue,
        Conversions = row.Conversions,
        AttributedRevenue = row.AttributedRevenue,
        OpenRate = ToContract(row.OpenRate),
        ClickRate = ToContract(row.ClickRate),
        ConversionRate = ToContract(row.ConversionRate),
        AverageOrderValue = row.AverageOrderValue,
        RevenuePerRecipient = row.RevenuePerRecipient,
        Day = row.Day is { } day ? Day(day) : "",
    };

    /// <summary>Where a row stands in the report's order (day, then id): what a page token holds.</summary>
    public static string Position(KpiRow row) => row.Day is { } day ? $"{Day(day)}|{row.Id}" : row.Id;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The global control comparison as the contract has it.</summary>
    public static Comparison ToContract(Difference d) => CampaignMapping.Compare("everyone", "global_control", "conversion_rate", d, randomised: true);

    private static Rate ToContract(Proportion p) => new() { Value = p.Rate, Low = p.Low, High = p.High, Count = p.Count, Size = p.Size };
}
