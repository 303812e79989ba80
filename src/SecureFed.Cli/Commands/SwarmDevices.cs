using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Hosting;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>What the masking and HE swarm runs do alike per device: client options, seeded draws, and the tally of outcomes.</summary>
internal static class SwarmDevices
{
    /// <summary>A device task's result for a planned dropout (null is success, anything else an error).</summary>
    public const string Dropped = "dropped";

    public static SecureFedClientOptions ClientOptions(Uri server) => new()
    {
        ServerUrl = server,
        RequestTimeout = TimeSpan.FromMinutes(5),
        MaxAttempts = 20,
        AllowInsecureHttp = true, // the operator chose the URL explicitly
    };

    /// <summary>Device <paramref name="index"/>'s input: <paramref name="length"/> values drawn in order by
    /// <paramref name="draw"/> from the device's stream (the seed spread by the 64-bit golden ratio per device).</summary>
    public static T[] Input<T>(long seed, int index, int length, Func<DeterministicRandomSource, T> draw)
    {
        using var random = new DeterministicRandomSource(seed ^ (index * unchecked((long)0x9E3779B97F4A7C15UL)));
        var input = new T[length];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = draw(random);
        }
        return input;
    }

    /// <summary>The first <paramref name="take"/> of devices first..first+count-1 in a seeded Fisher-Yates order.</summary>
    public static HashSet<int> PickDropouts(long seed, int first, int count, int take)
    {
        using var random = new DeterministicRandomSource(seed ^ 0x5EED);
        return [.. SimulatedInput.Shuffled(random, first, count).Take(take)];
    }

    /// <summary>Awaits every device in order: how many completed, how many failed (planned dropouts are neither) and the first error.</summary>
    public static async Task<(int Completed, int Failed, string? FirstError)> TallyAsync(IEnumerable<Task<string?>> devices)
    {
        string? firstError = null;
        int completed = 0, failed = 0;
        foreach (Task<string?> t in devices)
        {
            string? e = await t.ConfigureAwait(false);
            if (e is null)
            {
                completed++;
            }
            else if (e != Dropped)
            {
                failed++;
                firstError ??= e;
            }
        }
        return (completed, failed, firstError);
    }

    /// <summary>The run's verdict: completed with exactly the planned survivors, and one sum equal to <paramref name="expected"/>.</summary>
    public static bool SumMatches(RoundStatus done, ulong[] expected, int survivors) =>
        CompletedWith(done, survivors) && done.Sums is [ulong[] sum] && sum.AsSpan().SequenceEqual(expected);

    /// <summary>True when the round completed with exactly <paramref name="survivors"/> survivors.</summary>
    public static bool CompletedWith(RoundStatus done, int survivors) =>
        WireNames.ParsePhase(done.Status) == RoundPhase.Completed && done.Survivors!.Count == survivors;
}
