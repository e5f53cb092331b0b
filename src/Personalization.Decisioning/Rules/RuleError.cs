namespace Personalization.Decisioning.Rules;

/// <summary>A problem in a rule, at a 1-based line and column.</summary>
public sealed record RuleError(int Line, int Column, string Message)
{
    public override string ToString() => $"at {Line}:{Column}: {Message}";
}
