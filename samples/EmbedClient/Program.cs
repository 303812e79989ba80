using System.Globalization;
using SecureFed.Client;
using SecureFed.Primitives.Randomness;
using SecureFed.Protocol.Quantization;

// An app that embeds SecureFed.Client: enrol this device once, then contribute real values to a round.
// Usage: EmbedClient SERVER KEY-FILE ENROL-TOKEN|- ROUND-ID|- CLIENTS VALUE...
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: EmbedClient SERVER KEY-FILE ENROL-TOKEN|- ROUND-ID|- CLIENTS VALUE...");
    return 2;
}
string keyFile = args[1], token = args[2], roundId = args[3];
int clients = int.Parse(args[4], CultureInfo.InvariantCulture);
double[] update = [.. args[5..].Select(a => double.Parse(a, CultureInfo.InvariantCulture))];

IIdentityKeyStore keys = File.Exists(keyFile) ? new FileIdentityKeyStore(keyFile) : FileIdentityKeyStore.CreateNew(keyFile, SystemRandomSource.Instance);
using var client = new SecureFedClient(new SecureFedClientOptions { ServerUrl = new Uri(args[0]) }, keys);
if (token != "-")
{
    EnrolmentResult enrolled = await client.EnrolAsync(token);
    Console.WriteLine($"enrolled in {enrolled.Federation} as client {enrolled.ClientId}");
}
if (roundId != "-")
{
    // Reals in [-1, 1] to integers mod 2^32 (stochastic rounding), with headroom for the sum of `clients` updates.
    var quantizer = FixedPointQuantizer.Create(clipRange: 1.0, bits: 32, clients: clients);
    var quantized = new ulong[update.Length];
    quantizer.Quantize(update, quantized, SystemRandomSource.Instance);
    ContributionResult result = await client.ContributeAsync(roundId, quantized);
    Console.WriteLine($"round {result.RoundId}: contributed as client {result.ClientId}, {result.Survivors.Count} survivors");
}
return 0;
