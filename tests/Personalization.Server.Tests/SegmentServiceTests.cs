using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>SegmentService.ValidateRule over real gRPC: what a campaign manager's editor calls as they type.</summary>
[Collection(ServerCollection.Name)]
public sealed class SegmentServiceTests(ServerEnvironment environment)
{
    private readonly SegmentService.SegmentServiceClient _segments = new(environment.Shared.Channel);

    [Fact]
    public async Task AValidRuleIsNormalizedWithTheFieldsItReads()
    {
        var response = await _segments.ValidateRuleAsync(new ValidateRuleRequest { Rule = "churn > 0.7   and\n consented(email) and days_since(last_purchase) > 30" });

        Assert.True(response.Valid);
        Assert.Empty(response.Errors);
        Assert.Equal("churn > 0.7 and consented(email) and days_since(last_purchase) > 30", response.Normalized);
        Assert.Equal(["churn", "last_purchase"], response.ReferencedFields);
    }

    [Fact]
    public async Task AnInvalidRuleIsReportedWithItsPosition()
    {
        var response = await _segments.ValidateRuleAsync(new ValidateRuleRequest { Rule = "tenure < 12 and\n(plan = 'gold'" });

        Assert.False(response.Valid);
        var error = Assert.Single(response.Errors);
        Assert.Equal((2, 15), (error.Line, error.Column));
        Assert.Equal("expected ')' to close the parenthesis, found the end of the rule", error.Message);
    }

    [Fact]
    public async Task AnOversizedRuleIsRejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _segments.ValidateRuleAsync(new ValidateRuleRequest { Rule = new string('x', 4001) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
