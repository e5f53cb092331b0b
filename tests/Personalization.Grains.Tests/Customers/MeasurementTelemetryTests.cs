using System.Diagnostics.Metrics;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Diagnostics;
using Personalization.Decisioning.Customers;

namespace Personalization.Grains.Tests.Customers;

/// <summary>Purchases reach OpenTelemetry as a count and revenue, so dashboards outside can chart them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MeasurementTelemetryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task APurchaseIsCountedWithItsRevenueOnce()
    {
        var key = $"c-{Guid.NewGuid():N}";
        var revenue = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ProductTelemetry.Name && instrument.Name == "personalization.revenue")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (revenue)
            {
                revenue.Add(value);
            }
        });
        listener.Start();
        var purchase = new CustomerEvent { EventId = $"order-{key}", CustomerId = key, Type = CustomerEventType.Purchase, Channel = Channel.Web, OccurredAt = DateTime.UtcNow, Amount = 1234.56 };

        await fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(key).Track([purchase]);
        await fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(key).Track([purchase]);

        lock (revenue)
        {
            Assert.Single(revenue, 1234.56);
        }
    }
}
