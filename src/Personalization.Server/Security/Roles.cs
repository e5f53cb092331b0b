namespace Personalization.Server.Security;

/// <summary>
/// The roles and which services each may call: <c>app</c> (events, decisions and outcomes, one
/// profile, recommendations), <c>campaign-manager</c> (offers, segments, campaigns, journeys, KPI reports, products: the
/// catalog, reads included — a website gets the product fields it shows with each recommendation, so
/// an app key never needs to browse the catalog), <c>data-scientist</c> (models and
/// training data), <c>admin</c> (everything, including listing, exporting and forgetting profiles),
/// <c>publishable</c> (a key that may sit in a web page: only <c>Track</c> and <c>Decide</c>, for
/// anonymous visitors, or for a known customer with a token the site's backend signed; see
/// <see cref="Browsers.CustomerTokens"/>). Health, reflection and ping need no key; <c>AccessService</c>
/// (who am I) takes any known key.
/// </summary>
public static class Roles
{
    public const string App = "app";
    public const string CampaignManager = "campaign-manager";
    public const string DataScientist = "data-scientist";
    public const string Admin = "admin";
    public const string Publishable = "publishable";

    /// <summary>Not a role: what a method needs when any known key may call it, whatever its roles.</summary>
    public const string AnyKey = "*";

    /// <summary>Every role.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>([App, CampaignManager, DataScientist, Admin, Publishable], StringComparer.Ordinal);

    /// <summary>The only methods a publishable key may call.</summary>
    public static readonly IReadOnlySet<string> PublishableMethods = new HashSet<string>(
        ["/personalization.v1.EventService/Track", "/personalization.v1.DecisionService/Decide"], StringComparer.Ordinal);

    /// <summary>The role a method needs ("/package.Service/Method"); null when it needs no key.</summary>
    public static string? Required(string method)
    {
        var (service, name) = Split(method);
        return service switch
        {
            "personalization.v1.EventService" or "personalization.v1.DecisionService" or "personalization.v1.RecommendService" => App,
            "personalization.v1.ProfileService" => name == "GetProfile" ? App : Admin,
            "personalization.v1.OfferService" or "personalization.v1.SegmentService" or "personalization.v1.CampaignService" or "personalization.v1.JourneyService"
                or "personalization.v1.ProductService" or "personalization.v1.ReportService" => CampaignManager,
            "personalization.v1.ModelService" => DataScientist,
            "personalization.v1.AccessService" => AnyKey,
            "personalization.v1.PingService" => null,
            _ when service.StartsWith("grpc.", StringComparison.Ordinal) => null,
            _ => Admin,
        };
    }

    /// <summary>Whether roles allow a method's required role (admin allows all; <see cref="AnyKey"/> needs none).</summary>
    public static bool Allows(IReadOnlyCollection<string> roles, string required) => required == AnyKey || roles.Contains(Admin) || roles.Contains(required);

    /// <summary>Whether roles allow a method: its required role, or a publishable key on one of <see cref="PublishableMethods"/>.</summary>
    public static bool Allows(IReadOnlyCollection<string> roles, string required, string method) =>
        Allows(roles, required) || (roles.Contains(Publishable) && PublishableMethods.Contains(method));

    /// <summary>Whether a key acts only as a publishable key (no role that would let it name any customer).</summary>
    public static bool OnlyPublishable(IReadOnlyCollection<string> roles) => roles.Contains(Publishable) && !roles.Contains(Admin) && !roles.Contains(App);

    /// <summary>A method path ("/package.Service/Method") as its service and method names.</summary>
    public static (string Service, string Name) Split(string method)
    {
        var trimmed = method.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (trimmed, "") : (trimmed[..slash], trimmed[(slash + 1)..]);
    }
}
