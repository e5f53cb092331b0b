namespace Personalization.Load;

/// <summary>What the fault harness does to the cluster while every customer waits.</summary>
public enum JourneyFault
{
    /// <summary>One of the two silos SIGKILLed; the survivor alone wakes everyone.</summary>
    Kill,

    /// <summary>Both silos SIGKILLed, then two new processes of the same cluster started.</summary>
    Restart,
}
