using Google.Protobuf;
using Google.Protobuf.Reflection;
using Personalization.Server.Security;
using Personalization.V1;

namespace Personalization.Server.Audit;

/// <summary>
/// Which calls the audit trail records and what it keeps of them (pure). Recorded: every call that
/// changes something (create, update, delete, archive, start, pause, resume, cancel, activate,
/// roll back, set, push, upsert, import — whoever makes it), every profile export and training-data export, every
/// erasure, and every profile read or listing (or list of a delivery's responders) by a person's key (a key with any role besides
/// <c>app</c>: a website reading its visitor's profile on each page is not a person looking). Not
/// recorded: events, decisions, outcomes, pings, other reads — so the <c>publishable</c> key of a web
/// page, which may only track and decide, leaves no audit entries. Kept: the ids the request names, never
/// its other fields (traits, events, rules, content).
/// </summary>
public static class AuditPolicy
{
    private const string Package = "personalization.v1.";

    /// <summary>Longest id kept in an entry; a longer one (hostile input, refused anyway) is cut and marked.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Most ids kept from one request.</summary>
    public const int MaxTargets = 16;

    private static readonly string[] ChangeVerbs = ["Create", "Update", "Delete", "Archive", "Start", "Pause", "Resume", "Cancel", "Activate", "Rollback", "Set", "Push", "Upsert", "Import"];

    /// <summary>What an audited call is, or null when the call is not audited.</summary>
    public static AuditKind? Kind(string method, IReadOnlyCollection<string>? roles)
    {
        var (service, name) = Roles.Split(method);
        if (!service.StartsWith(Package, StringComparison.Ordinal))
        {
            return null;
        }

        switch (name)
        {
            case "ForgetProfile":
                return AuditKind.Erase;
            case "ExportProfile" or "ExportTrainingData":
                return AuditKind.Export;
            case "GetProfile" or "ListProfiles" or "PreviewOfferContent" or "ListResponders":
                // A content preview may render a customer's profile (customer_id), a responder list names
                // customers: recorded like a profile read.
                return IsPerson(roles) ? AuditKind.Read : null;
            case "GetCaller":
                // A console sign-in: who signed in, and when.
                return AuditKind.Read;
        }

        if (service is Package + "EventService" or Package + "DecisionService" or Package + "RecommendService" or Package + "PingService" or Package + "AuditService")
        {
            return null;
        }

        return ChangeVerbs.Any(verb => name.StartsWith(verb, StringComparison.Ordinal)) ? AuditKind.Change : null;
    }

    /// <summary>Whether a key is a person's: any role besides <c>app</c> and <c>publishable</c> (a web page's), or no keys at all (Development).</summary>
    public static bool IsPerson(IReadOnlyCollection<string>? roles) => roles is null || roles.Any(r => r is not Roles.App and not Roles.Publishable);

    /// <summary>
    /// The ids a request names: its string fields called <c>*_id</c> or <c>version</c>, at the top
    /// level and one message deep (a campaign inside a create request), in field order.
    /// </summary>
    public static IReadOnlyList<AuditTarget> Targets(IMessage? request)
    {
        var targets = new List<AuditTarget>();
        if (request is not null)
        {
            Collect(request, targets, depth: 0);
        }

        return targets;
    }

    private static string Bounded(string id) =>
        id.Length <= MaxIdLength ? id : $"{id.AsSpan(0, MaxIdLength)}… ({id.Length} characters)";

    private static void Collect(IMessage message, List<AuditTarget> targets, int depth)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsRepeated || field.IsMap)
            {
                continue;
            }

            if (field.FieldType == FieldType.String && (field.Name.EndsWith("_id", StringComparison.Ordinal) || field.Name == "version"))
            {
                if (field.Accessor.GetValue(message) is string { Length: > 0 } value && Bounded(value) is var id
                    && targets.Count < MaxTargets && !targets.Exists(t => t.Field == field.Name && t.Id == id))
                {
                    targets.Add(new AuditTarget { Field = field.Name, Id = id });
                }
            }
            else if (field.FieldType == FieldType.Message && depth == 0 && field.Accessor.GetValue(message) is IMessage inner)
            {
                Collect(inner, targets, depth + 1);
            }
        }
    }
}
