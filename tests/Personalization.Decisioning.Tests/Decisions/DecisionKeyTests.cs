using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>Decision ids held as two numbers: the text comes back exactly, other ids stay text, older records still match.</summary>
public sealed class DecisionKeyTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(1L)]
    [InlineData(0x2aL)]
    [InlineData(long.MaxValue)]
    public void AServiceIdIsHeldAsNumbersAndGivesItsTextBack(long number)
    {
        var id = DecisionKey.NewId(number);

        var key = DecisionKey.Of(id);

        Assert.Null(key.Text);
        Assert.Equal(number, key.Number);
        Assert.Equal(id, key.ToString());
        Assert.Equal(id, new DecisionRecord { DecisionId = id }.DecisionId);
        Assert.Null(new DecisionRecord { DecisionId = id }.IdText);
    }

    [Theory]
    [InlineData("c-campaign-1:customer-7")]
    [InlineData("d-01-0123456789abcdef0123456789abcdef")] // a leading zero: not the form the service writes
    [InlineData("d-1-0123456789ABCDEF0123456789ABCDEF")] // upper case
    [InlineData("d-1-0123456789abcdef0123456789abcde")] // one digit short
    [InlineData("d--0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public void AnyOtherIdStaysTextAndReadsBackUnchanged(string id)
    {
        var record = new DecisionRecord { DecisionId = id };

        Assert.Equal(id, record.IdText);
        Assert.Equal(id, record.DecisionId);
        Assert.True(record.Is(DecisionKey.Of(id)));
    }

    [Fact]
    public void ARecordStoredWithItsIdAsTextMatchesTheCompactKeyAndCompactsOnLoad()
    {
        var id = DecisionKey.NewId(7);
        var state = new CustomerState();
        state.Decisions.Add(new DecisionRecord { IdText = id, OfferId = "o1", Channel = Channel.Web, DecidedAt = Now, SendAt = Now });

        Assert.True(state.Decisions[0].Is(DecisionKey.Of(id)));
        Assert.False(state.Decisions[0].Is(DecisionKey.Of(DecisionKey.NewId(7))));

        state.Compact();

        Assert.Null(state.Decisions[0].IdText);
        Assert.Equal(id, state.Decisions[0].DecisionId);
        Assert.Equal(OutcomeStatus.Applied, DecisionMemory.Record(state, id, "o1", Outcome.Clicked, 0, Now.AddHours(1)).Status);
    }

    [Fact]
    public void DifferentDecisionsNeverMatch()
    {
        var a = new DecisionRecord { DecisionId = DecisionKey.NewId(3) };

        Assert.False(a.Is(DecisionKey.Of(DecisionKey.NewId(3))));
        Assert.False(a.Is(DecisionKey.Of("c-3")));
        Assert.False(new DecisionRecord { DecisionId = "c-3" }.Is(DecisionKey.Of(a.DecisionId)));
    }
}
