using System.CommandLine;
using Personalization.V1;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize segment create|preview|list|get|delete</c>: segments for campaign managers.</summary>
public static class SegmentCommand
{
    public static Command Create()
    {
        var command = new Command("segment", "Define segments with the rule language and see who is in them.");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(PreviewCommand());
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(GetCommand());
        command.Subcommands.Add(DeleteCommand());
        return command;
    }

    private static Command CreateCommand()
    {
        var name = new Argument<string>("name") { Description = "Lower-case letters, digits and hyphens, e.g. high-churn-risk." };
        var rule = new Option<string>("--rule") { Description = "The rule, e.g. \"churn > 0.7 and consented(email)\".", Required = true };
        var description = new Option<string>("--description") { Description = "What the segment is for.", DefaultValueFactory = _ => "" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return at once instead of showing the backfill until the segment is active." };
        var create = new Command("create", "Create a segment; it is filled from every known customer, with progress.") { name, rule, description, noWait };
        create.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new SegmentService.SegmentServiceClient(channel);
            var segment = await client.CreateSegmentAsync(
                new CreateSegmentRequest { Segment = new Segment { Name = parse.GetValue(name)!, Rule = parse.GetValue(rule)!, Description = parse.GetValue(description)! } },
                cancellationToken: cancellationToken);
            if (!parse.GetValue(noWait))
            {
                await GlobalOptions.Console(parse).Progress().AutoClear(false).StartAsync(async context =>
                {
                    var task = context.AddTask($"Filling {segment.Name}", maxValue: 1);
                    while (segment.Status == SegmentStatus.Backfilling)
                    {
                        task.Value = segment.BackfillProgress;
                        await Task.Delay(250, cancellationToken);
                        segment = await client.GetSegmentAsync(new GetSegmentRequest { Name = segment.Name }, cancellationToken: cancellationToken);
                    }

                    task.Value = 1;
                });
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"{segment.Name}: {Describe(segment)}");
            return 0;
        });
        return create;
    }

    private static Command PreviewCommand()
    {
        var rule = new Option<string>("--rule") { Description = "The rule to try.", Required = true };
        var sample = new Option<int>("--sample") { Description = "How many matching customer ids to show (1..100).", DefaultValueFactory = _ => 10 };
        var preview = new Command("preview", "Count and sample who a rule selects, without saving it (up to 10,000 customers are evaluated).") { rule, sample };
        preview.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var result = await new SegmentService.SegmentServiceClient(channel).PreviewSegmentAsync(
                new PreviewSegmentRequest { Rule = parse.GetValue(rule)!, SampleSize = parse.GetValue(sample) }, cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            var share = result.Evaluated == 0 ? 0 : (double)result.Matching / result.Evaluated;
            await output.WriteLineAsync($"{result.Matching} of {result.Evaluated} customers evaluated match ({Formats.Percent(share)}).");
            foreach (var id in result.SampleCustomerIds)
            {
                await output.WriteLineAsync($"  {id}");
            }

            return 0;
        });
        return preview;
    }

    private static Command ListCommand()
    {
        var list = new Command("list", "List every segment with its members and rule.");
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new SegmentService.SegmentServiceClient(channel);
            var table = new Table().AddColumns("segment", "members", "status", "rule");
            var token = "";
            do
            {
                var page = await client.ListSegmentsAsync(new ListSegmentsRequest { Page = new PageRequest { PageSize = 200, PageToken = token } }, cancellationToken: cancellationToken);
                foreach (var s in page.Segments)
                {
                    table.AddRow(Markup.Escape(s.Name), Formats.Count(s.MemberCount), Status(s), Markup.Escape(s.Rule));
                }

                token = page.Page.NextPageToken;
            }
            while (token.Length > 0);

            GlobalOptions.Console(parse).Write(table);
            return 0;
        });
        return list;
    }

    private static Command GetCommand()
    {
        var name = new Argument<string>("name") { Description = "The segment." };
        var get = new Command("get", "Show one segment with its live member count.") { name };
        get.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var segment = await new SegmentService.SegmentServiceClient(channel).GetSegmentAsync(new GetSegmentRequest { Name = parse.GetValue(name)! }, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{segment.Name}: {Describe(segment)}\n  rule: {segment.Rule}");
            return 0;
        });
        return get;
    }

    private static Command DeleteCommand()
    {
        var name = new Argument<string>("name") { Description = "The segment." };
        var delete = new Command("delete", "Delete a segment (refused while an unfinished campaign or another segment uses it).") { name };
        delete.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var result = await new SegmentService.SegmentServiceClient(channel).DeleteSegmentAsync(new DeleteSegmentRequest { Name = parse.GetValue(name)! }, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(result.Deleted ? $"{parse.GetValue(name)} deleted." : $"no segment '{parse.GetValue(name)}'.");
            return result.Deleted ? 0 : 1;
        });
        return delete;
    }

    private static string Describe(Segment segment) =>
        $"{Formats.Count(segment.MemberCount)} members, {Status(segment)}";

    private static string Status(Segment segment) => segment.Status == SegmentStatus.Active
        ? "active"
        : $"backfilling {Formats.Percent(segment.BackfillProgress, 0)}";
}
