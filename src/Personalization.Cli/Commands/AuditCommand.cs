using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Personalization.V1;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize audit [--from] [--to] [--key] [--target] [--method]</c>: the audit trail, oldest first (admin key).</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start (ISO 8601); default 24 hours before --to." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End, exclusive (ISO 8601); default now." };
        var key = new Option<string?>("--key") { Description = "Only calls made with this key name." };
        var target = new Option<string?>("--target") { Description = "Only calls naming this id (customer, campaign, offer, segment, journey, model version)." };
        var method = new Option<string?>("--method") { Description = "Only this method, e.g. ForgetProfile." };
        var limit = new Option<int>("--limit") { Description = "Most entries to print.", DefaultValueFactory = _ => 1000 };
        var command = new Command("audit", "Print the audit trail: who changed, read, exported or erased what, and when (needs an admin key).") { from, to, key, target, method, limit };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new AuditService.AuditServiceClient(channel);
            var request = new SearchAuditRequest
            {
                From = parse.GetValue(from) is { } start ? Timestamp.FromDateTimeOffset(start) : null,
                To = parse.GetValue(to) is { } end ? Timestamp.FromDateTimeOffset(end) : null,
                KeyName = parse.GetValue(key) ?? "",
                Target = parse.GetValue(target) ?? "",
                Method = parse.GetValue(method) ?? "",
                Page = new PageRequest { PageSize = 500 },
            };
            var output = parse.InvocationConfiguration.Output;
            var printed = 0;
            var most = Math.Max(1, parse.GetValue(limit));
            do
            {
                var page = await client.SearchAuditAsync(request, cancellationToken: cancellationToken);
                foreach (var entry in page.Entries.Take(most - printed))
                {
                    var targets = string.Join(' ', entry.Targets.Select(t => $"{t.Field}={t.Id}"));
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{entry.At.ToDateTime():yyyy-MM-ddTHH:mm:ss.fffZ}  {entry.KeyName,-16} {entry.Kind.ToString().ToLowerInvariant(),-7} {entry.Method.Split('/')[^1],-22} {entry.Status,-18} {targets}{(entry.OnBehalfOf.Length > 0 ? $" for={entry.OnBehalfOf}" : "")}"));
                    printed++;
                }

                request.Page.PageToken = page.Page.NextPageToken;
            }
            while (request.Page.PageToken.Length > 0 && printed < most);

            await output.WriteLineAsync($"{printed} entries");
            return 0;
        });
        return command;
    }
}
