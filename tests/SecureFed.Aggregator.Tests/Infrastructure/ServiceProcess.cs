using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureFed.Aggregator.Tests.Infrastructure;

/// <summary>The aggregator in its own OS process (dotnet SecureFed.Aggregator.dll), so it can be killed with SIGKILL.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static Task<ServiceProcess> StartAsync(string databasePath, Uri url, params string[] extraArgs) =>
        StartAsync(databasePath, url, environment: null, extraArgs);

    /// <summary>Starts the service with <paramref name="environment"/> added to its environment (the test kill switch).</summary>
    public static async Task<ServiceProcess> StartAsync(string databasePath, Uri url, IReadOnlyDictionary<string, string>? environment, params string[] extraArgs)
    {
        ProcessStartInfo info = StartInfo(databasePath, url, extraArgs);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var service = new ServiceProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (service._process.HasExited)
            {
                throw new InvalidOperationException($"the service exited with {service._process.ExitCode}:\n{service.Log}");
            }
            try
            {
                using HttpResponseMessage r = await http.GetAsync(new Uri(url, "/healthz"));
                if (r.IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        service.Dispose();
        throw new TimeoutException($"the service did not answer /healthz within 60 s:\n{service.Log}");
    }

    /// <summary>Options for devices that outlive a kill -9 of this service: they retry for minutes, quickly.</summary>
    public static SecureFed.Client.SecureFedClientOptions PatientClientOptions(Uri url) => new()
    {
        ServerUrl = url,
        PollWait = TimeSpan.FromSeconds(5),
        MaxAttempts = 300,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromMilliseconds(300),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Starts the service on a database it is expected to refuse; returns its exit code and its output, or
    /// null for the exit code when it was still running (and was killed) after <paramref name="timeout"/>.</summary>
    public static async Task<(int? ExitCode, string Output, bool AnsweredHealthz)> RunUntilExitAsync(string databasePath, Uri url, TimeSpan timeout)
    {
        using var service = new ServiceProcess(Process.Start(StartInfo(databasePath, url, [])) ?? throw new InvalidOperationException("could not start dotnet"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        bool answered = false;
        var deadline = DateTime.UtcNow + timeout;
        while (!service._process.HasExited && DateTime.UtcNow < deadline)
        {
            try
            {
                using HttpResponseMessage r = await http.GetAsync(new Uri(url, "/healthz"));
                answered |= r.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        if (!service._process.HasExited)
        {
            service.Kill();
            return (null, service.Log, answered);
        }
        await service._process.WaitForExitAsync(); // drains the redirected output
        return (service._process.ExitCode, service.Log, answered);
    }

    private static ProcessStartInfo StartInfo(string databasePath, Uri url, string[] extraArgs)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "SecureFed.Aggregator.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
        };
        foreach (string a in (string[])[dll, "--urls", url.ToString().TrimEnd('/'), $"--Aggregator:DatabasePath={databasePath}",
                     "--Aggregator:DeadlineCheckMilliseconds=50", "--Aggregator:ClientRequestsPerSecond=1000", "--Aggregator:ClientRequestBurst=1000",
                     "--Logging:LogLevel:Default=Warning", .. extraArgs])
        {
            info.ArgumentList.Add(a);
        }
        return info;
    }

    /// <summary>Completes when the process has exited (killed itself, crashed or was killed); its exit code.</summary>
    public async Task<int> ExitedAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like kill -9.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
