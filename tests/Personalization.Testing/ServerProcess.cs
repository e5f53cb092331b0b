using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Personalization.Testing;

/// <summary>
/// A real server process (Azurite, a server silo) started for the tests, stopped on dispose; the last
/// <see cref="KeptLines"/> lines of its output are kept so a failure to start explains itself (all of it
/// grew without bound: a survivor silo's warnings over a 20-minute fault run exhausted the harness's memory).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    /// <summary>How many of the last output lines are kept.</summary>
    public const int KeptLines = 2000;

    private readonly Queue<string> _output = new();

    private int _disposed;

    private ServerProcess(Process process) => _process = process;

    /// <summary>The operating system's id of the process (to read its CPU time and memory).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last <see cref="KeptLines"/> lines the process printed.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = new StringBuilder();
                foreach (var line in _output)
                {
                    text.AppendLine(line);
                }

                return text.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> and waits until it accepts TCP connections on <paramref name="port"/>.</summary>
    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, int port, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{fileName} exited with code {process.ExitCode} before listening on port {port}:\n{server.Output}");
            }

            if (await IsListeningAsync(port))
            {
                return server;
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"{fileName} did not listen on port {port} within 180 s:\n{server.Output}");
    }

    /// <summary>Whether something accepts TCP connections on the loopback port.</summary>
    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits until it has.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Kills the process (SIGKILL: no graceful shutdown); safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }

            // For a look at a process that died mid-benchmark: its output kept in a file as well.
            if (Environment.GetEnvironmentVariable("PERSONALIZATION_PROCESS_LOG") is { Length: > 0 } file)
            {
                File.AppendAllText(file, $"[{_process.Id}] {line}\n");
            }
        }
    }
}
