#:project ../src/SecureFed.Protocol/SecureFed.Protocol.csproj
#:property TreatWarningsAsErrors=false
#:property PublishAot=false
using System.Diagnostics;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Hosting;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Planning;
using SecureFed.Protocol.Server;

// Server work of one masking round split over S shards in one process (issue 15; not a timed test): per-shard time (Handle + Apply + Receive)
// and root time (Decide + Complete). Clients are real; their work is not timed. Usage: dotnet run bench/shard-work.cs -- N LENGTH S...
int n = int.Parse(args[0]), length = int.Parse(args[1]);
int[] shardCounts = [.. args.Skip(2).Select(int.Parse)];
using var random = new DeterministicRandomSource(7);
var ids = Enumerable.Range(1, n).Select(i => (uint)i).ToArray();
var identities = ids.ToDictionary(i => i, _ => IdentityKeyPair.Generate(random));
var roundId = new byte[16]; random.Fill(roundId);
var config = new RoundConfiguration { RoundId = roundId, Vectors = [new VectorSpec { Length = length, Bits = 32 }],
    Roster = [.. ids.Select(i => new RosterEntry { ClientId = i, IdentityKey = identities[i].PublicKey.Bytes.ToArray() })] };
RoundGraph graph = RoundGraphSelector.Select(n);
graph.ApplyTo(config);
var p = RoundParameters.Create(config);
Console.WriteLine($"n={n} length={length} graph={graph.Graph} k={graph.Degree} t={graph.Threshold}");
var rng = new Random(7);
var dropAt = new Dictionary<int, HashSet<uint>> { [2] = [.. ids.OrderBy(_ => rng.Next()).Take(n / 20)], [4] = [.. ids.OrderBy(_ => rng.Next()).Take(n / 50)] };
var protocol = new SecAggRoundProtocol();
var roots = shardCounts.Select(s => protocol.StartRoot(p.EncodedConfiguration, 2, s)).ToArray();
var shards = shardCounts.Select(s => Enumerable.Range(0, s).Select(i => protocol.StartShard(p.EncodedConfiguration, i, s)).ToArray()).ToArray();
var shardTicks = shardCounts.Select(s => new long[s]).ToArray();
var rootTicks = new long[shardCounts.Length];
var clients = new Dictionary<uint, ClientState>();
var inbox = new Dictionary<uint, ClientEnvelope>();
foreach (uint id in ids)
{
    var input = new ulong[length]; for (int k = 0; k < length; k++) input[k] = (ulong)rng.Next();
    var t = SecAggClient.Start(p, id, identities[id], [input], random);
    clients[id] = t.Next; inbox[id] = t.Outgoing!;
}
for (int stage = 0; roots[0].End is null; stage++)
{
    foreach (uint id in dropAt.GetValueOrDefault(stage) ?? []) clients.Remove(id);
    foreach (var (id, e) in inbox.Where(kv => clients.ContainsKey(kv.Key)))
    {
        byte[] bytes = MessageCodec.Encode(e);
        for (int c = 0; c < shardCounts.Length; c++)
        {
            int s = ShardMap.ShardOf(roundId, id, shardCounts[c]);
            long t0 = Stopwatch.GetTimestamp();
            if (shards[c][s].Handle(bytes) is { } r) throw new Exception(r.ToString());
            shardTicks[c][s] += Stopwatch.GetTimestamp() - t0;
        }
    }
    StageClose? first = null;
    for (int c = 0; c < shardCounts.Length; c++)
    {
        long t0 = Stopwatch.GetTimestamp();
        var reports = shards[c].Select(x => x.Report()).ToArray();
        var decision = roots[c].Decide(reports);
        rootTicks[c] += Stopwatch.GetTimestamp() - t0;
        var results = new ShardResult?[shardCounts[c]];
        var batches = new List<ShardBatch>();
        foreach (var sh in shards[c])
        {
            t0 = Stopwatch.GetTimestamp();
            var step = sh.Apply(decision);
            shardTicks[c][sh.Shard] += Stopwatch.GetTimestamp() - t0;
            results[sh.Shard] = step.Result; batches.AddRange(step.Batches);
        }
        foreach (var b in batches)
        {
            t0 = Stopwatch.GetTimestamp();
            results[b.To] = shards[c][b.To].Receive(b) ?? results[b.To];
            shardTicks[c][b.To] += Stopwatch.GetTimestamp() - t0;
        }
        t0 = Stopwatch.GetTimestamp();
        var close = roots[c].Complete(results!);
        rootTicks[c] += Stopwatch.GetTimestamp() - t0;
        first ??= close;
    }
    inbox.Clear();
    foreach (var m in first!.Sent)
        foreach (uint r in m.Recipients.Where(clients.ContainsKey))
        {
            var t = clients[r].HandleBytes(m.Bytes); clients[r] = t.Next;
            if (t.Outgoing is not null) inbox[r] = t.Outgoing;
        }
}
double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
for (int c = 0; c < shardCounts.Length; c++)
{
    var end = roots[c].End!;
    bool same = end.Result!.Sums[0].SequenceEqual(roots[0].End!.Result!.Sums[0]);
    Console.WriteLine($"S={shardCounts[c]}: shards total {Ms(shardTicks[c].Sum()):F0} ms, max shard {Ms(shardTicks[c].Max()):F0} ms, per shard [{string.Join(", ", shardTicks[c].Select(t => Ms(t).ToString("F0")))}], root {Ms(rootTicks[c]):F0} ms, survivors {end.Result.Survivors.Count}, dropped {end.Result.Dropped.Count}, same sum {same}");
}
