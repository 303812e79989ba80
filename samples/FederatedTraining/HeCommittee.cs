using SecureFed.Lattice.Bfv;
using SecureFed.Lattice.Multiparty;
using SecureFed.Primitives.Randomness;

namespace SecureFed.Samples.FederatedTraining;

/// <summary>
/// The HE path's key holders, set up once per training run: D decryptors run the collective threshold key
/// generation (the aggregator only sums public key shares); each then holds a t-out-of-D share of the secret key.
/// Every training round is a separate decryption round, and each decryptor answers at most once per round.
/// </summary>
internal sealed class HeCommittee : IDisposable
{
    private readonly ThresholdDecryptor[] _decryptors;

    public HeCommittee(AggregationPlan plan, int minimumClients, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(random);
        Plan = plan;
        int d = plan.Options.Decryptors;
        var crp = new byte[32];
        random.Fill(crp); // the common reference polynomial's public seed
        var parties = Enumerable.Range(1, d).Select(i => new KeyGenerationParty(plan, i, random)).ToArray();
        var received = Enumerable.Range(0, d).Select(_ => new List<ShamirShare>(d)).ToArray();
        try
        {
            PublicKey = CollectivePublicKey.Combine(plan, crp, parties.Select(p => p.CreatePublicKeyShare(crp)).ToArray());
            foreach (KeyGenerationParty party in parties)
            {
                foreach (ShamirShare share in party.DealShares())
                {
                    received[share.Recipient - 1].Add(share);
                }
            }
            _decryptors = received.Select((r, j) => new ThresholdDecryptor(ThresholdKeyShare.Combine(plan, j + 1, r), minimumClients)).ToArray();
        }
        finally
        {
            foreach (KeyGenerationParty party in parties)
            {
                party.Dispose();
            }
            foreach (ShamirShare share in received.SelectMany(r => r))
            {
                share.Dispose();
            }
        }
    }

    public AggregationPlan Plan { get; }

    public PublicKey PublicKey { get; }

    /// <summary>Client <paramref name="client"/> sends each decryptor its commitment to its upload directly.</summary>
    public void Commit(long round, int client, ReadOnlySpan<byte> commitment)
    {
        foreach (ThresholdDecryptor decryptor in _decryptors)
        {
            decryptor.RegisterCommitment(round, client, commitment);
        }
    }

    /// <summary>
    /// Threshold decryption of <paramref name="aggregate"/> by the first t decryptors, each checking the openings
    /// against the commitments; returns the <paramref name="length"/> summed values mod 2^bits.
    /// </summary>
    /// <exception cref="DecryptionRefusedException">A decryptor refused (a forged or repeated request).</exception>
    public ulong[] Decrypt(long round, IReadOnlyList<Ciphertext> aggregate, IReadOnlyDictionary<int, UploadOpening> openings, int length, IRandomSource random)
    {
        int[] set = [.. Enumerable.Range(1, Plan.Shares)];
        var request = new DecryptionRequest { Round = round, Participants = set, Openings = openings };
        var shares = set.Select(j => _decryptors[j - 1].CreateShare(request, random)).ToList();
        return CollectiveDecryption.CombineValues(Plan, aggregate, round, shares, length, openings.Count);
    }

    public void Dispose()
    {
        foreach (ThresholdDecryptor decryptor in _decryptors)
        {
            decryptor.Dispose();
        }
    }
}
