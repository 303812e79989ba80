#:project ../src/SecureFed.Lattice/SecureFed.Lattice.csproj
#:property TreatWarningsAsErrors=false
#:property TieredCompilation=false
#:property PublishAot=false
using System.Diagnostics;
using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

// Issue 17 part 2 (not a timed test): one client's upload encryption in the 10 x 1,000,000 HE pipeline, alone, in
// several settings (a fresh output array kept or dropped, a reused buffer, with or without the aggregator's opening in
// between), with process CPU, minor page faults (Linux: /proc/self/stat), gen0/1/2 collections and bytes allocated
// per upload, beside the bare encryption. Usage (the CLI's GC setting):
// DOTNET_GCLOHThreshold=0x800000 dotnet run -c Release bench/he-upload.cs -- [VALUES]

int clients = 10, length = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
string mode = args.Length > 1 ? args[1] : "all";
var plan = AggregationPlan.Create(new AggregationOptions { Clients = clients, InputRange = (1UL << 32) / 10, Bits = 32, Decryptors = clients, Threshold = 6, VectorLength = length });
Console.WriteLine($"N={plan.Parameters.Degree} lanes={plan.Options.Lanes} bodies={plan.Options.Bodies} key level={plan.Parameters.KeyLevel} upload level={plan.UploadLevel} blocks={UploadEncryptor.BlockCount(plan, length)} bytes={UploadEncryptor.UploadSize(plan, length)}");
using var rng = new DeterministicRandomSource(42);
var crp = new byte[32]; rng.Fill(crp);
var parties = Enumerable.Range(1, clients).Select(i => new KeyGenerationParty(plan, i, rng)).ToArray();
var pk = CollectivePublicKey.Combine(plan, crp, parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray());
var values = new ulong[clients][];
for (int c = 0; c < clients; c++) { values[c] = new ulong[length]; for (int i = 0; i < length; i++) values[c][i] = rng.NextBelow(plan.Options.InputRange); }
int blocks = UploadEncryptor.BlockCount(plan, length);
var enc = new UploadEncryptor(plan, pk);
long Minflt() { var f = File.ReadAllText("/proc/self/stat").Split(' '); return long.Parse(f[9]); }
void Run(string name, Func<int, byte[]> encrypt, Action<byte[]>? between)
{
    var times = new List<double>(); var cpus = new List<double>();
    long f0 = Minflt(); int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2); long a0 = GC.GetAllocatedBytesForCurrentThread();
    var proc = Process.GetCurrentProcess();
    long faults = 0;
    for (int c = 0; c < clients; c++)
    {
        proc.Refresh(); var cpu0 = proc.TotalProcessorTime; long ff = Minflt();
        long t0 = Stopwatch.GetTimestamp();
        var u = encrypt(c);
        times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / blocks);
        faults += Minflt() - ff;
        proc.Refresh(); cpus.Add((proc.TotalProcessorTime - cpu0).TotalMilliseconds / blocks);
        between?.Invoke(u);
    }
    Console.WriteLine($"{name,-28} per ct wall mean {times.Average():F3} med {times.Order().ElementAt(clients/2):F3} min {times.Min():F3} | cpu mean {cpus.Average():F3} | faults/client {faults/clients} | gc {GC.CollectionCount(0)-g0}/{GC.CollectionCount(1)-g1}/{GC.CollectionCount(2)-g2} | alloc/client {(GC.GetAllocatedBytesForCurrentThread()-a0)/clients/1e6:F2} MB");
    Console.WriteLine("   per client wall: " + string.Join(" ", times.Select(t => t.ToString("F2"))));
    Console.WriteLine("   per client cpu:  " + string.Join(" ", cpus.Select(t => t.ToString("F2"))));
}
var keep = new List<byte[]>();
var micro = new BfvEncryptor(pk);
var coeff = new ulong[plan.Options.Bodies * plan.Parameters.Degree];
LanePacking.PackBlock(plan, values[0], 0, coeff);
for (int i = 0; i < 5; i++) micro.Encrypt(coeff, rng, plan.UploadLevel);
string Median(Action a, int reps = 20) { var proc = Process.GetCurrentProcess(); proc.Refresh(); var c0 = proc.TotalProcessorTime; long a0 = GC.GetAllocatedBytesForCurrentThread(); long f0 = Minflt(); var t = new double[reps]; for (int i = 0; i < reps; i++) { long t0 = Stopwatch.GetTimestamp(); a(); t[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds; } proc.Refresh(); Array.Sort(t); return $"{t[reps/2]:F3} wall median | cpu mean {(proc.TotalProcessorTime - c0).TotalMilliseconds / reps:F3} | faults {(Minflt()-f0)/reps} | alloc {(GC.GetAllocatedBytesForCurrentThread()-a0)/reps/1e6:F2} MB"; }
for (int round = 0; round < 2; round++)
{
    Console.WriteLine($"-- round {round}, load {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"micro (bare encrypt+switch)  median {Median(() => micro.Encrypt(coeff, rng, plan.UploadLevel))}");
    Console.WriteLine($"packblock only               {Median(() => LanePacking.PackBlock(plan, values[1], 3, coeff))}");
    var ct = micro.Encrypt(coeff, rng, plan.UploadLevel);
    Console.WriteLine($"serialize one ct             {Median(() => CiphertextCodec.Serialize(ct))}");
    keep.Clear();
    Run("fresh, kept, opened between", c => enc.Encrypt(values[c], rng), u => { keep.Add(u); UploadOpening.FromUpload(u, plan.Parameters); });
    keep.Clear(); GC.Collect();
    Run("fresh, kept, nothing between", c => enc.Encrypt(values[c], rng), u => keep.Add(u));
    keep.Clear(); GC.Collect();
    Run("fresh, dropped", c => enc.Encrypt(values[c], rng), null);
    var buf = new byte[UploadEncryptor.UploadSize(plan, length)];
    keep.Clear(); GC.Collect();
    Run("reused buffer", c => { enc.Encrypt(values[c], rng, buf); return buf; }, null);
    keep.Clear(); GC.Collect();
    Run("reused buffer, opened betw.", c => { enc.Encrypt(values[c], rng, buf); return buf; }, u => UploadOpening.FromUpload(u, plan.Parameters));
    keep.Clear(); GC.Collect();
    Run("same values, fresh dropped", c => enc.Encrypt(values[0], rng), null);
}
