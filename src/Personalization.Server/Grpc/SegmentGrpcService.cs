using Grpc.Core;
using Personalization.Decisioning.Rules;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// SegmentService (protos/personalization/v1/segments.proto). ValidateRule checks a rule in the
/// rule language now; the segment RPCs answer UNIMPLEMENTED from the generated base until live
/// membership and campaigns arrive (#6).
/// </summary>
public sealed class SegmentGrpcService : SegmentService.SegmentServiceBase
{
    private const int MaxRuleLength = 4000;

    public override Task<ValidateRuleResponse> ValidateRule(ValidateRuleRequest request, ServerCallContext context)
    {
        if (request.Rule.Length > MaxRuleLength)
        {
            throw GrpcErrors.Invalid($"rule: at most {MaxRuleLength} characters, got {request.Rule.Length}.");
        }

        var response = new ValidateRuleResponse();
        try
        {
            var compiled = RuleLanguage.Compile(request.Rule);
            response.Valid = true;
            response.Normalized = string.Join(" ", request.Rule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            response.ReferencedFields.AddRange(compiled.Fields);
        }
        catch (RuleSyntaxException ex)
        {
            response.Errors.Add(new V1.RuleError { Line = ex.Error.Line, Column = ex.Error.Column, Message = ex.Error.Message });
        }

        return Task.FromResult(response);
    }
}
