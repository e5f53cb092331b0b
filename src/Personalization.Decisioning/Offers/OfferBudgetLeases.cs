namespace Personalization.Decisioning.Offers;

/// <summary>
/// How a silo leases grants of a counted budget (a journey's total entry limit) in blocks instead of one call and
/// one write per grant. Pure. A block is at most an eighth of what is left (at least one), so near the end the
/// blocks shrink to one and a silo holds back little; a silo asks for twice its last block, up to <see cref="MaxBlock"/>,
/// so a busy silo soon makes one call per many entries and an idle one never holds many. A lease is never more than
/// the budget left: the count stays exact and never over-admits; a silo that stops with grants left in its lease
/// under-admits by at most those.
/// </summary>
public static class OfferBudgetLeases
{
    /// <summary>The largest block a silo asks for.</summary>
    public const long MaxBlock = 64;

    /// <summary>The block granted when <paramref name="left"/> remain and <paramref name="wanted"/> are asked for; 0 when none remain.</summary>
    public static long Block(long left, long wanted) => left <= 0 || wanted <= 0 ? 0 : Math.Min(wanted, Math.Max(1, left / 8));

    /// <summary>What a silo asks for next, after a block of <paramref name="last"/> ran out (1 the first time).</summary>
    public static long NextWanted(long last) => Math.Clamp(last * 2, 1, MaxBlock);
}
