using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace SecureFed.Cli.Commands;

/// <summary>
/// Makes a local aggregator process run a full blocking garbage collection, the way dotnet-gcdump does before it walks
/// a heap: an EventPipe session (the runtime's diagnostics port) that enables the runtime provider's GCHeapCollect
/// keyword. A soak reads memory after it so that a reading does not depend on when the GC last ran: what is still
/// there after a full collection is live (or kept by the process), and only that can leak.
/// </summary>
internal static class SwarmServerGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    // ClrTraceEventParser.Keywords: GC = 0x1, GCHeapCollect = 0x800000 (enabling it induces the collection).
    private const long GcKeywords = 0x1 | 0x800000;

    /// <summary>
    /// Induces the collection in process <paramref name="pid"/> and returns the memory read once its gen2 count moved
    /// (null when the process cannot be reached or no gen2 collection is seen within <paramref name="timeout"/>).
    /// </summary>
    public static async Task<SwarmServerMemory?> CollectAsync(int pid, Func<Task<SwarmServerMemory>> read, TimeSpan timeout)
    {
        SwarmServerMemory before = await read().ConfigureAwait(false);
        if (before.Gen2Collections is not { } gen2)
        {
            return null;
        }
        EventPipeSession session;
        try
        {
            session = new DiagnosticsClient(pid).StartEventPipeSession(
                [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, GcKeywords)], requestRundown: false, circularBufferMB: 16);
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or ServerErrorException or IOException or TimeoutException)
        {
            return null;
        }
        using (session)
        {
            // Drain the events so the runtime never waits on a full buffer; they are not needed.
            Task drain = Task.Run(() => session.EventStream.CopyTo(Stream.Null));
            try
            {
                var until = DateTime.UtcNow + timeout;
                while (DateTime.UtcNow < until)
                {
                    await Task.Delay(250).ConfigureAwait(false);
                    SwarmServerMemory after = await read().ConfigureAwait(false);
                    if (after.Gen2Collections > gen2)
                    {
                        return after;
                    }
                }
                return null;
            }
            finally
            {
                try
                {
                    session.Stop();
                }
                catch (Exception e) when (e is ServerNotAvailableException or ServerErrorException or IOException or TimeoutException)
                {
                    // The process went away; the drain ends with the stream.
                }
                await drain.ConfigureAwait(false);
            }
        }
    }
}
