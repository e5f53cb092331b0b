using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Personalization.AzureStorage.Logs;
using Personalization.Decisioning.Decisions;
using Personalization.Grains.Common;
using Personalization.Grains.Customers;
using Personalization.Grains.Models;
using Personalization.Scoring.Scoring;
using Personalization.Server.Audit;
using Personalization.Server.Browsers;
using Personalization.Server.Grpc;
using Personalization.Server.Health;
using Personalization.Server.Limits;
using Personalization.Server.Models;
using Personalization.Server.Observability;
using Personalization.Server.Security;

namespace Personalization.Server.Hosting;

/// <summary>Wires the whole server: settings, silo, gRPC services, health and reflection.</summary>
public static class ServerHostingExtensions
{
    /// <summary>Adds everything the server needs; <paramref name="configureSilo"/> lets tests add grains of their own.</summary>
    public static WebApplicationBuilder AddPersonalization(this WebApplicationBuilder builder, Action<ISiloBuilder>? configureSilo = null)
    {
        var server = builder.Configuration.GetSettings<ServerSettings>(ServerSettings.Section);
        var cluster = builder.Configuration.GetSettings<ClusterSettings>(ClusterSettings.Section);
        var storage = builder.Configuration.GetSettings<StorageSettings>(StorageSettings.Section);
        var events = builder.Configuration.GetSettings<EventSettings>(EventSettings.Section);
        var customers = builder.Configuration.GetSettings<CustomerPersistenceOptions>(CustomerPersistenceOptions.Section);
        var customerLog = builder.Configuration.GetSettings<CustomerLogOptions>(CustomerLogOptions.Section);
        var decisionLog = builder.Configuration.GetSettings<Contracts.Persistence.DecisionLogOptions>(Contracts.Persistence.DecisionLogOptions.Section);
        var eventExport = builder.Configuration.GetSettings<Contracts.Persistence.EventExportOptions>(Contracts.Persistence.EventExportOptions.Section);
        var models = builder.Configuration.GetSettings<ModelSettings>(ModelSettings.Section);
        var limits = builder.Configuration.GetSettings<LimitSettings>(LimitSettings.Section);
        var overload = builder.Configuration.GetSettings<OverloadSettings>(OverloadSettings.Section);
        var telemetry = builder.Configuration.GetSettings<TelemetrySettings>(TelemetrySettings.Section);
        var dashboard = builder.Configuration.GetSettings<DashboardSettings>(DashboardSettings.Section);
        var browsers = builder.Configuration.GetSettings<BrowserSettings>(BrowserSettings.Section);
        builder.AddBrowsers(browsers);
        builder.Services.AddSingleton(dashboard);
        builder.AddObservability(telemetry);
        var account = StorageAccount.From(storage);
        builder.Services.AddSingleton(server).AddSingleton(cluster).AddSingleton(storage).AddSingleton(account).AddSingleton(events).AddSingleton(models);
        builder.Services.AddSingleton<ScoringService>();
        builder.Services.AddHostedService<ModelLoader>();
        builder.Services.AddSingleton(Options.Create(customers));
        builder.Services.AddSingleton(Options.Create(builder.Configuration.GetSettings<RetentionOptions>(RetentionOptions.Section)));
        builder.Services.AddSingleton(Options.Create(builder.Configuration.GetSettings<FanoutOptions>(FanoutOptions.Section)));
        builder.Services.AddSingleton(Options.Create(builder.Configuration.GetSettings<Grains.Schedules.WakeScheduleOptions>(Grains.Schedules.WakeScheduleOptions.Section)));
        builder.Services.AddSingleton(Options.Create(builder.Configuration.GetSettings<DecisionPolicy>(DecisionPolicy.Section)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CustomerRouter>();

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = server.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(server.ListenAddress), server.Port, listen =>
            {
                if (string.IsNullOrEmpty(server.TlsCertificatePath))
                {
                    // Cleartext must be HTTP/2 only: without TLS there is no ALPN to pick the protocol.
                    listen.Protocols = HttpProtocols.Http2;
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(server.TlsCertificatePath, server.TlsCertificatePassword);
                }
            });
            kestrel.ListenForDashboard(dashboard);
            kestrel.ListenForBrowsers(browsers, server);
        });

        builder.UseOrleans(silo =>
        {
            silo.AddPersonalizationSilo(cluster, storage, account, customerLog, decisionLog);
            silo.AddEventExport(storage, account, eventExport);
            overload.Apply(silo);
            silo.AddObservability(dashboard);
            configureSilo?.Invoke(silo);
        });

        // After the silo (registered by UseOrleans above): the first sync needs the model registry grain.
        builder.Services.AddSingleton<ModelStore>();
        builder.Services.AddSingleton<ModelSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelSync>());
        builder.Services.AddHostedService<DriftGauge>();
        builder.Services.AddSingleton<ModelResultsCounter>();

        var auth = builder.Configuration.GetSettings<AuthSettings>(AuthSettings.Section);
        if (!auth.Enabled && !builder.Environment.IsDevelopment())
        {
            throw new InvalidConfigurationException("setting 'Auth:Enabled' may be false only in Development; production needs API keys (Auth:Keys).");
        }

        builder.Services.AddSingleton(auth).AddSingleton(limits).AddSingleton<KeyRateLimits>();
        builder.Services.AddSingleton<ApiKeyInterceptor>().AddSingleton<ErrorInterceptor>();
        var audit = builder.Configuration.GetSettings<AuditSettings>(AuditSettings.Section);
        builder.Services.AddSingleton(audit).AddSingleton(sp => new AuditTrail(account.Tables, audit)).AddSingleton<AuditInterceptor>();
        builder.Services.AddHostedService<AuditSweeper>();
        var segmentHistory = builder.Configuration.GetSettings<Segments.SegmentHistorySettings>(Segments.SegmentHistorySettings.Section);
        builder.Services.AddSingleton(segmentHistory).AddSingleton(sp => new Segments.SegmentHistoryStore(account.Tables, segmentHistory));
        builder.Services.AddHostedService<Segments.SegmentCountSampler>();
        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.MaxReceiveMessageSize = limits.MaxMessageBytes;
            // Outermost first: the error translation sees everything the key check and services throw.
            options.Interceptors.Add<ErrorInterceptor>();
            options.Interceptors.Add<ApiKeyInterceptor>();
            // Inside the key check: knows the caller; records what the service answered.
            options.Interceptors.Add<AuditInterceptor>();
        }).AddJsonTranscoding();
        builder.Services.AddJsonHttpDocument();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<SiloReadiness>("silo");
        builder.Services.AddHostedService<StartupBanner>();
        return builder;
    }

    /// <summary>Maps every gRPC service of the public contract, the health service and reflection.</summary>
    public static WebApplication MapPersonalization(this WebApplication app)
    {
        app.UseBrowsers();
        app.MapJsonHttpDocument();
        app.MapGrpcService<PingGrpcService>();
        app.MapGrpcService<AccessGrpcService>();
        app.MapGrpcService<EventGrpcService>();
        app.MapGrpcService<DecisionGrpcService>();
        app.MapGrpcService<ProfileGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcService<OfferGrpcService>();
        app.MapGrpcService<ProductGrpcService>();
        app.MapGrpcService<RecommendGrpcService>();
        app.MapGrpcService<SegmentGrpcService>();
        app.MapGrpcService<CampaignGrpcService>();
        app.MapGrpcService<JourneyGrpcService>();
        app.MapGrpcService<ModelGrpcService>();
        app.MapGrpcService<ReportGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapDashboard(app.Services.GetRequiredService<DashboardSettings>());
        return app;
    }
}
