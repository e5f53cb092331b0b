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
public sealed class DecisionGrpcService(IGrainFactory grains, TimeProvider time) : DecisionService.DecisionServiceBase
{
    private const int MaxActions = 10;

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

        return ToContract(customerId, response);
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

        var mode = context.Mode == V1.DecisionMode.Outbound ? DomainMode.Outbound : DomainMode.Inbound;
        return new DecisionRequest(mode, [.. context.Channels.Select(c => (DomainChannel)(int)c)], max, [.. context.OfferIds]);
    }

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
            };
            contract.Reasons.AddRange(action.Reasons);
            response.Actions.Add(contract);
        }

        return response;
    }
}
