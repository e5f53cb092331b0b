using Grpc.Core;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Decisions;
using Personalization.Decisioning.Decisions;
using Personalization.V1;
using Personalization.V1.Conversions;
using DomainChannel = Personalization.Decisioning.Customers.Channel;
using DomainMode = Personalization.Decisioning.Decisions.DecisionMode;
using DomainOutcome = Personalization.Decisioning.Decisions.Outcome;
using V1Channel = Personalization.V1.Channel;

namespace Personalization.Server.Grpc;

/// <summary>
/// DecisionService: validates the request, lets the customer's grain decide (an unknown customer
/// is decided with population priors), and maps the answer back. Outcomes join their decision
/// exactly once.
/// </summary>
public sealed partial class DecisionGrpcService(IGrainFactory grains, TimeProvider time) : DecisionService.DecisionServiceBase
{
    private const int MaxActions = 10;
    private const int MaxPlacements = 8;
    private const int MaxAttributes = 32;
    private const int MaxTextLength = 256;
    private const int MaxPageLength = 2048;

    /// <summary>Most recommended products one placement of a decision may ask for.</summary>
    public const int MaxItemCount = 20;

    public override async Task<DecideResponse> Decide(DecideRequest request, ServerCallContext context)
    {
        var customerId = GrpcErrors.RequiredId(request.CustomerId, "customer_id");
        var decisionRequest = ToDomain(request.Context ?? new DecisionContext());
        var response = await grains.GetGrain<ICustomerGrain>(customerId).Decide(decisionRequest);
        if (response.ForwardTo is { } known)
        {
            customerId = known;
            response = await grains.GetGrain<ICustomerGrain>(known).Decide(decisionRequest);
        }

        if (response.UnknownOffers.Count > 0)
        {
            throw GrpcErrors.NotFound($"context.offer_ids: no live offer {string.Join(", ", response.UnknownOffers.Select(id => $"'{id}'"))}.");
        }

        var answer = ToContract(customerId, response);
        if (decisionRequest.ItemCount > 0)
        {
            answer.NextItemPageToken = ItemRequests.NextToken(decisionRequest.ItemsShown ?? [], response.Items.SelectMany(p => p.Items).Select(i => i.Product.ProductId));
        }

        if (Security.ApiKeyInterceptor.Caller(context) is { } caller && Security.Roles.OnlyPublishable(caller.Roles))
        {
            // A web page's key sees what to show, not why other offers were left out (rules, caps, budgets).
            answer.Suppressions.Clear();
        }

        return answer;
    }

    public override async Task<RecordOutcomeResponse> RecordOutcome(RecordOutcomeRequest request, ServerCallContext context)
    {
        var (status, error) = await RecordAsync(request);
        return error is not null ? throw new RpcException(error.Value) : new RecordOutcomeResponse { Applied = status == OutcomeStatus.Applied };
    }

    public override async Task<RecordOutcomesResponse> RecordOutcomes(RecordOutcomesRequest request, ServerCallContext context)
    {
        var response = new RecordOutcomesResponse();
        for (var i = 0; i < request.Outcomes.Count; i++)
        {
            try
            {
                var (status, error) = await RecordAsync(request.Outcomes[i]);
                if (error is { } e)
                {
                    response.Rejected.Add(new ItemError { Index = i, Field = e.Detail.Split(':')[0], Reason = e.Detail });
                }
                else if (status == OutcomeStatus.Applied)
                {
                    response.Accepted++;
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                response.Rejected.Add(new ItemError { Index = i, Field = ex.Status.Detail.Split(':')[0], Reason = ex.Status.Detail });
            }
        }

        return response;
    }

    private async Task<(OutcomeStatus Status, Status? Error)> RecordAsync(RecordOutcomeRequest request)
    {
        var customerId = GrpcErrors.RequiredId(request.CustomerId, "customer_id");
        var decisionId = GrpcErrors.RequiredId(request.DecisionId, "decision_id");
        var offerId = GrpcErrors.RequiredId(request.OfferId, "offer_id");
        if (request.Outcome == V1.Outcome.Unspecified || !System.Enum.IsDefined(request.Outcome))
        {
            throw GrpcErrors.Invalid($"outcome: unknown outcome {(int)request.Outcome}.");
        }

        var value = request.Value?.Amount ?? 0;
        if (!double.IsFinite(value) || value < 0)
        {
            throw GrpcErrors.Invalid($"value.amount: must be a finite number, not negative; got {value}.");
        }

        var at = request.OccurredAt?.ToDateTime() ?? time.GetUtcNow().UtcDateTime;
        var status = await grains.GetGrain<ICustomerGrain>(customerId).RecordOutcome(decisionId, offerId, (DomainOutcome)(int)request.Outcome, value, at);
        return status switch
        {
            OutcomeStatus.UnknownDecision => (status, new Status(StatusCode.NotFound, $"decision_id: no decision '{decisionId}' for customer '{customerId}' in the {Decisioning.Customers.CustomerState.OutcomeDays} days before the outcome (unknown, expired, or an inbound decision older than the customer's last {Decisioning.Customers.CustomerState.InboundDecisionsKept} inbound actions).")),
            OutcomeStatus.WrongOffer => (status, new Status(StatusCode.InvalidArgument, $"offer_id: decision '{decisionId}' did not offer '{offerId}'.")),
            _ => (status, null),
        };
    }

    private static DecisionRequest ToDomain(DecisionContext context)
    {
        var max = context.MaxActions == 0 ? 1 : context.MaxActions;
        if (max is < 1 or > MaxActions)
        {
            throw GrpcErrors.Invalid($"context.max_actions: between 1 and {MaxActions}, got {context.MaxActions}.");
        }

        if (!System.Enum.IsDefined(context.Mode))
        {
            throw GrpcErrors.Invalid($"context.mode: unknown mode {(int)context.Mode}.");
        }

        if (context.Channels.Where(c => c == V1Channel.Unspecified || !System.Enum.IsDefined(c)).Select(c => (int?)c).FirstOrDefault() is { } bad)
        {
            throw GrpcErrors.Invalid($"context.channels: unknown channel {bad}.");
        }

        if (context.ItemCount is < 0 or > MaxItemCount)
        {
            throw GrpcErrors.Invalid($"context.item_count: between 0 and {MaxItemCount}, got {context.ItemCount}.");
        }

        var mode = context.Mode == V1.DecisionMode.Outbound ? DomainMode.Outbound : DomainMode.Inbound;
        var itemFilter = ItemRequests.Filter(context.ItemFilter, "context.item_filter");
        var itemBoosts = ItemRequests.Boosts(context.ItemBoosts, "context.item_boosts");
        var shown = ItemRequests.Shown(context.ItemPageToken, "context.item_page_token", "next_item_page_token");
        return new DecisionRequest(mode, [.. context.Channels.Select(c => (DomainChannel)(int)c)], max, [.. context.OfferIds], ToPlacementContext(context), Placements(context), context.ItemCount,
            itemFilter, itemBoosts.Count == 0 ? null : itemBoosts, shown.Count == 0 ? null : shown);
    }

    // The request's context for rules, features and templates: short texts, a few typed attributes.
    private static PlacementContext ToPlacementContext(DecisionContext context)
    {
        Placement(context.Placement, "context.placement");
        Text(context.Page, "context.page", MaxPageLength);
        Text(context.ProductId, "context.product_id", MaxTextLength);
        Text(context.Device, "context.device", MaxTextLength);
        if (context.Attributes.Count > MaxAttributes)
        {
            throw GrpcErrors.Invalid($"context.attributes: at most {MaxAttributes}, got {context.Attributes.Count}.");
        }

        var errors = new List<Decisioning.Customers.FieldError>();
        var attributes = new Dictionary<string, Decisioning.Customers.TraitValue>(context.Attributes.Count, StringComparer.Ordinal);
        foreach (var (name, value) in context.Attributes)
        {
            if (!AttributeName().IsMatch(name))
            {
                throw GrpcErrors.Invalid($"context.attributes[{name}]: names are 1 to 64 letters, digits or '_', starting with a letter.");
            }

            if (value.KindCase == Value.KindOneofCase.StringValue)
            {
                Text(value.StringValue, $"context.attributes[{name}]", MaxTextLength);
            }

            if (EventMapping.ToTraitValue(value, $"context.attributes[{name}]", errors) is { } mapped)
            {
                attributes[name] = mapped;
            }
        }

        if (errors.Count > 0)
        {
            throw GrpcErrors.Invalid($"{errors[0].Field}: {errors[0].Reason}");
        }

        DateTime? localTime = context.LocalTime is null ? null : DateTime.SpecifyKind(context.LocalTime.ToDateTime(), DateTimeKind.Unspecified);
        if (context.LocalTime is not null && context.LocalTime.Seconds is < 946_684_800 or > 4_102_444_800)
        {
            throw GrpcErrors.Invalid("context.local_time: between 2000 and 2100.");
        }

        return new PlacementContext(context.Placement, context.Page, context.ProductId, context.Device, localTime, attributes);
    }

    private static List<string> Placements(DecisionContext context)
    {
        if (context.Placements.Count > MaxPlacements)
        {
            throw GrpcErrors.Invalid($"context.placements: at most {MaxPlacements}, got {context.Placements.Count}.");
        }

        for (var i = 0; i < context.Placements.Count; i++)
        {
            Placement(context.Placements[i], $"context.placements[{i}]");
            if (context.Placements[i].Length == 0)
            {
                throw GrpcErrors.Invalid($"context.placements[{i}]: must not be empty.");
            }

            if (context.Placements.Take(i).Contains(context.Placements[i], StringComparer.Ordinal))
            {
                throw GrpcErrors.Invalid($"context.placements[{i}]: '{context.Placements[i]}' is asked for twice.");
            }
        }

        return [.. context.Placements];
    }

    private static void Placement(string placement, string field)
    {
        if (placement.Length > 0 && !PlacementContext.IsPlacement(placement))
        {
            throw GrpcErrors.Invalid($"{field}: '{Cut(placement)}' is not a placement: 1 to 64 letters, digits, '-', '_' or '.'.");
        }
    }

    private static void Text(string text, string field, int max)
    {
        if (text.Length > max || text.Any(char.IsControl))
        {
            throw GrpcErrors.Invalid($"{field}: at most {max} characters and no control characters.");
        }
    }

    private static string Cut(string text) => text.Length > 64 ? text[..64] + "…" : text;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex AttributeName();

    private static DecideResponse ToContract(string customerId, DecisionResponse decision)
    {
        var response = new DecideResponse
        {
            DecisionId = decision.DecisionId,
            CustomerId = customerId,
            ExperimentArm = decision.Result.Arm,
            DecidedAt = decision.DecidedAt.ToContract(),
        };
        response.Suppressions.AddRange(decision.Result.Suppressions);
        foreach (var placement in decision.Items)
        {
            var items = new V1.PlacementItems { Placement = placement.Placement };
            items.Items.AddRange(placement.Items.Select(ProductMapping.ToContract));
            response.PlacementItems.Add(items);
        }

        foreach (var action in decision.Result.Actions)
        {
            var contract = new V1.Action
            {
                Rank = action.Rank,
                OfferId = action.Offer.OfferId,
                OfferName = action.Offer.Name,
                Channel = (V1Channel)(int)action.Channel,
                SendAt = action.SendAt.ToContract(),
                Scores = new Scores
                {
                    Churn = decision.Churn,
                    Acceptance = action.Acceptance,
                    ChurnModelVersion = decision.ChurnModelVersion,
                    OfferModelVersion = decision.OfferModelVersion,
                },
                ExpectedValue = action.ExpectedValue,
                Explored = action.Explored,
                Placement = action.Placement,
                Content = action.Content,
            };
            contract.Reasons.AddRange(action.Reasons);
            response.Actions.Add(contract);
        }

        return response;
    }
}
