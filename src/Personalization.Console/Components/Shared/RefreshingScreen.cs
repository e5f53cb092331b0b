using Microsoft.AspNetCore.Components;
using Personalization.Console.Api;
using Personalization.Console.Hosting;

namespace Personalization.Console.Components.Shared;

/// <summary>
/// A screen that reloads what it shows while it is open (counts and progress the API offers no stream
/// for), every <see cref="ConsoleSettings.RefreshMilliseconds"/>, until the person leaves it.
/// </summary>
public abstract class RefreshingScreen : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _closed = new();

    /// <summary>The server's API as the signed-in person calls it.</summary>
    [Inject]
    protected ServerApi Api { get; set; } = default!;

    /// <summary>The console's settings.</summary>
    [Inject]
    protected ConsoleSettings Settings { get; set; } = default!;

    /// <summary>The last refused or failed call, shown on the screen.</summary>
    protected string? Error { get; set; }

    private bool _errorFromRefresh;

    /// <summary>Cancelled when the person leaves the screen.</summary>
    protected CancellationToken Closed => _closed.Token;

    /// <summary>Loads what the screen shows; called at once and then on every tick.</summary>
    protected abstract Task RefreshAsync();

    protected override async Task OnInitializedAsync()
    {
        await RunAsync(RefreshAsync, refreshing: true);
        _ = RefreshLoopAsync();
    }

    /// <summary>Runs a call and shows its error, if any, instead of breaking the screen.</summary>
    protected Task RunAsync(Func<Task> call) => RunAsync(call, refreshing: false);

    // A person's failed action stays on screen until their next action succeeds: the periodic refresh clears only
    // an error of its own (it used to clear every error within one refresh period, before anyone could read it).
    private async Task RunAsync(Func<Task> call, bool refreshing)
    {
        try
        {
            await call();
            if (!refreshing || _errorFromRefresh)
            {
                Error = null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Error = ApiErrors.Describe(ex);
            _errorFromRefresh = refreshing;
        }
    }

    private async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Settings.RefreshMilliseconds));
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token))
            {
                await InvokeAsync(async () =>
                {
                    await RunAsync(RefreshAsync, refreshing: true);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The screen was closed.
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        _closed.Dispose();
        GC.SuppressFinalize(this);
    }
}
