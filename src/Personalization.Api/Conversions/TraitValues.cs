using Personalization.Decisioning.Customers;

namespace Personalization.V1.Conversions;

/// <summary>Typed values between the contract (<see cref="Value"/>) and the domain (<see cref="TraitValue"/>).</summary>
public static class TraitValues
{
    /// <summary>The contract's value for a domain value.</summary>
    public static Value ToContract(this TraitValue value) => value.Kind switch
    {
        TraitKind.Text => new Value { StringValue = value.Text ?? "" },
        TraitKind.Integer => new Value { IntValue = value.Integer },
        TraitKind.Real => new Value { DoubleValue = value.Real },
        TraitKind.Boolean => new Value { BoolValue = value.Boolean },
        _ => new Value { TimestampValue = value.Time.ToContract() },
    };
}
