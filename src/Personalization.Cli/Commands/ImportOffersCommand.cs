using System.CommandLine;
using Grpc.Core;
using Personalization.Decisioning.Offers;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize import offers FILE</c>: an offer portfolio (JSON lines) into the catalog; existing ids are updated.</summary>
public static class ImportOffersCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Portfolio JSON lines: id, offer_type, reward, difficulty, duration, channels." };
        var command = new Command("offers", "Import an offer portfolio; offers that exist are updated, so it is safe to repeat.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var offers = PortfolioOffers.Parse(File.ReadLines(parse.GetValue(file)!.FullName));
            using var channel = GlobalOptions.Channel(parse);
            var client = new OfferService.OfferServiceClient(channel);
            int created = 0, updated = 0;
            foreach (var offer in offers)
            {
                var contract = OfferMapping.ToContract(offer);
                try
                {
                    await client.CreateOfferAsync(new CreateOfferRequest { Offer = contract }, cancellationToken: cancellationToken);
                    created++;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
                {
                    await client.UpdateOfferAsync(new UpdateOfferRequest { Offer = contract }, cancellationToken: cancellationToken);
                    updated++;
                }
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"{offers.Count} offers: {created} created, {updated} updated.");
            return 0;
        });
        return command;
    }
}
