using Personalization.Cli.Import;
using Personalization.Decisioning.Customers;

namespace Personalization.Cli.Tests.Import;

public sealed class RowConverterTests
{
    private static readonly ImportSettings Defaults = new();

    [Theory]
    [InlineData("MonthlyCharges", "monthly_charges")]
    [InlineData("customerID", "customer_id")]
    [InlineData("SeniorCitizen", "senior_citizen")]
    [InlineData("became_member_on", "became_member_on")]
    [InlineData("Payment Method", "payment_method")]
    [InlineData("2ndLine", "f_2nd_line")]
    public void ColumnNamesBecomeSnakeCase(string column, string trait)
    {
        Assert.Equal(trait, TraitParsing.SnakeCase(column));
    }

    [Fact]
    public void CsvValuesAreTyped()
    {
        string[] header = ["customerID", "tenure", "MonthlyCharges", "Partner", "Contract", "TotalCharges"];

        var row = RowConverter.FromCsv(2, header, ["7590-VHVEG", "1", "29.85", "Yes", "Month-to-month", " "], "customerID", Defaults);

        Assert.Null(row.Error);
        Assert.Equal("7590-VHVEG", row.CustomerId);
        Assert.Equal(1, row.Traits["tenure"].IntValue);
        Assert.Equal(29.85, row.Traits["monthly_charges"].DoubleValue);
        Assert.True(row.Traits["partner"].BoolValue);
        Assert.Equal("Month-to-month", row.Traits["contract"].StringValue);
        Assert.False(row.Traits.ContainsKey("total_charges")); // blank: left out
    }

    [Fact]
    public void ARowWithTheWrongNumberOfFieldsIsRejected()
    {
        var row = RowConverter.FromCsv(7, ["id", "a"], ["x"], "id", Defaults);

        Assert.Equal("has 1 fields, the header has 2", row.Error);
    }

    [Fact]
    public void JsonLinesHonourMissingValuesAndDates()
    {
        var settings = new ImportSettings
        {
            Missing = new Dictionary<string, string> { ["age"] = "118" },
            Dates = new Dictionary<string, string> { ["became_member_on"] = "yyyyMMdd" },
        };

        var row = RowConverter.FromJson(1, """{"gender": null, "age": 118, "id": "68be", "became_member_on": "20170212", "income": 112000.5}""", null, settings);

        Assert.Null(row.Error);
        Assert.Equal("68be", row.CustomerId);
        Assert.False(row.Traits.ContainsKey("age"));
        Assert.False(row.Traits.ContainsKey("gender"));
        Assert.Equal(new DateTime(2017, 2, 12, 0, 0, 0, DateTimeKind.Utc), row.Traits["became_member_on"].TimestampValue.ToDateTime());
        Assert.Equal(112000.5, row.Traits["income"].DoubleValue);
    }

    [Theory]
    [InlineData("{not json", "is not valid JSON")]
    [InlineData("[1,2]", "is not a JSON object")]
    [InlineData("""{"name": "x"}""", "has no id field")]
    [InlineData("""{"id": ""}""", "has no customer id in id")]
    public void BadJsonLinesAreRejectedWithAReason(string json, string reason)
    {
        var row = RowConverter.FromJson(3, json, null, Defaults);

        Assert.StartsWith(reason, row.Error);
    }

    [Fact]
    public void ABadDateIsRejectedNamingTheColumn()
    {
        var settings = new ImportSettings { Dates = new Dictionary<string, string> { ["joined"] = "yyyyMMdd" } };

        var row = RowConverter.FromJson(4, """{"id": "a", "joined": "2017-02-12"}""", null, settings);

        Assert.Equal("joined: '2017-02-12' is not a date in the format yyyyMMdd", row.Error);
    }

    [Fact]
    public void CsvHandlesQuotesCommasAndLineBreaks()
    {
        using var reader = new StringReader("id,note\n1,\"a, \"\"quoted\"\"\nnote\"\n2,plain\n");

        var records = CsvRecords.Read(reader).ToList();

        Assert.Equal(3, records.Count);
        Assert.Equal(["1", "a, \"quoted\"\nnote"], records[1].Fields);
        Assert.Equal(4, records[2].Line);
    }
}
