using Personalization.Console.Access;
using Microsoft.Extensions.Configuration;
using Personalization.Console.Hosting;

namespace Personalization.Console.Tests;

/// <summary>OpenID Connect sign-in's pure parts: groups to roles, which key a call uses, the person's name, the settings checked.</summary>
public sealed class PersonRolesTests
{
    private static readonly Dictionary<string, string> GroupRoles = new() { ["marketing"] = "campaign-manager", ["analysts"] = "data-scientist", ["it"] = "admin", ["growth"] = "campaign-manager" };

    [Theory]
    [InlineData("marketing", "campaign-manager")]
    [InlineData("marketing,growth", "campaign-manager")]
    [InlineData("analysts,marketing,everyone", "campaign-manager,data-scientist")]
    [InlineData("everyone,interns", "")]
    [InlineData("", "")]
    [InlineData("Marketing", "")]
    public void GroupsMapToTheirRolesAndUnmappedGroupsToNone(string groups, string roles) =>
        Assert.Equal(roles, string.Join(",", PersonRoles.Map(groups.Split(',', StringSplitOptions.RemoveEmptyEntries), GroupRoles)));

    [Theory]
    [InlineData("campaign-manager", "campaign-manager", "campaign-manager")]
    [InlineData("campaign-manager,data-scientist", "data-scientist", "data-scientist")]
    [InlineData("admin,campaign-manager", "campaign-manager", "campaign-manager")]
    [InlineData("admin,campaign-manager", "data-scientist", "admin")]
    [InlineData("campaign-manager", "admin", "campaign-manager")]
    public void ACallUsesTheKeyOfTheRoleItNeedsWhenHeldAndNeverOfARoleNotHeld(string held, string required, string used) =>
        Assert.Equal(used, PersonRoles.KeyRole(held.Split(','), required));

    [Fact]
    public void APersonWithNoRoleHasNoKey() => Assert.Null(PersonRoles.KeyRole([], "campaign-manager"));

    [Theory]
    [InlineData("campaign-manager", "campaign-manager", false)]
    [InlineData("campaign-manager", "campaign-manager,admin", true)]
    [InlineData("campaign-manager", "data-scientist", true)]
    [InlineData("admin", "admin", false)]
    public void AKeyHoldingMoreThanItsRoleExceedsIt(string role, string keyRoles, bool exceeds) =>
        Assert.Equal(exceeds, PersonRoles.Exceeds(role, keyRoles.Split(',')));

    [Theory]
    [InlineData("alice@example.test", "sub-1", "alice@example.test")]
    [InlineData(null, "sub-1", "sub-1")]
    [InlineData("", "sub-1", "sub-1")]
    [InlineData("zoë@example.test", "sub-1", "sub-1")]
    public void TheAuditTrailNamesThePersonByTheirClaimWhenTheServerCanTakeItElseBySubject(string? claim, string subject, string person) =>
        Assert.Equal(person, PersonRoles.Person(claim, subject));

    [Theory]
    [InlineData("/segments", "/segments")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void ASignInReturnsOnlyToAPathInsideTheConsole(string? url, string path) => Assert.Equal(path, ReturnPath.Safe(url));

    [Fact]
    public void OidcSettingsNeedAClientAKeyForEachMappedRoleAndOnlyConsoleRoles()
    {
        var configured = new Dictionary<string, string?>
        {
            ["Console:Oidc:Authority"] = "https://login.example.test",
            ["Console:Oidc:GroupRoles:marketing"] = "campaign-manager",
            ["Console:Oidc:GroupRoles:web"] = "app",
        };

        var problem = Assert.Throws<InvalidOperationException>(() => Read(configured)).Message;

        Assert.Contains("'Console:Oidc:ClientId' is needed", problem, StringComparison.Ordinal);
        Assert.Contains("'Console:Oidc:RoleKeys:campaign-manager' needs the API key for role 'campaign-manager'", problem, StringComparison.Ordinal);
        Assert.Contains("'Console:Oidc:GroupRoles:web' maps 'web' to 'app'", problem, StringComparison.Ordinal);

        configured.Remove("Console:Oidc:GroupRoles:web");
        configured["Console:Oidc:ClientId"] = "console";
        configured["Console:Oidc:RoleKeys:campaign-manager"] = "a-key";
        var settings = Read(configured);
        Assert.True(settings.Oidc.Enabled);
        Assert.Equal("campaign-manager", settings.Oidc.GroupRoles["marketing"]);
        Assert.False(Read([]).Oidc.Enabled);
    }

    private static ConsoleSettings Read(Dictionary<string, string?> configured) =>
        ConsoleSettings.From(new ConfigurationBuilder().AddInMemoryCollection(configured).Build());
}
