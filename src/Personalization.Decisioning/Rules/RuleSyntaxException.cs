namespace Personalization.Decisioning.Rules;

/// <summary>A rule does not parse; <see cref="Error"/> says where and what was expected.</summary>
public sealed class RuleSyntaxException(RuleError error) : Exception(error.ToString())
{
    public RuleError Error { get; } = error;
}
