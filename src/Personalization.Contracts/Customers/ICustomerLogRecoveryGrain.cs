namespace Personalization.Contracts.Customers;

/// <summary>
/// The recovery of one gone silo's change log (key: the log's name): hands every customer in it its
/// changes, then deletes the log. One activation in the cluster does it; asking again is harmless.
/// </summary>
public interface ICustomerLogRecoveryGrain : IGrainWithStringKey
{
    /// <summary>Starts the recovery if it is not running; returns at once.</summary>
    Task Recover();
}
