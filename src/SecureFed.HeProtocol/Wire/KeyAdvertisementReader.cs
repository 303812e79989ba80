using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Messages;
using SecureFed.Lattice.Multiparty;
using SecureFed.Protocol.Messages;

namespace SecureFed.HeProtocol.Wire;

/// <summary>
/// Checks a list of forwarded H0 envelopes as a party must: each signed for this round and stage by a configured
/// decryptor, ascending distinct senders, at least the threshold of them, bodies well formed.
/// </summary>
internal static class KeyAdvertisementReader
{
    public static SortedDictionary<int, KeyAdvertisement> Read(HeRoundParameters parameters, HeEnvelope[]? envelopes, string what)
    {
        if (envelopes is null || envelopes.Length < parameters.Threshold)
        {
            throw new HeProtocolException($"{what} holds {envelopes?.Length ?? 0} advertisements; the threshold is {parameters.Threshold}");
        }
        var result = new SortedDictionary<int, KeyAdvertisement>();
        uint previous = 0;
        foreach (var envelope in envelopes)
        {
            if (envelope is null || envelope.Stage != HeStage.KeyAdvertisement || envelope.SenderId <= previous)
            {
                throw new HeProtocolException($"{what}: advertisements must be H0 envelopes in ascending sender order");
            }
            previous = envelope.SenderId;
            int index = parameters.DecryptorIndex(envelope.SenderId);
            if (index == 0)
            {
                throw new HeProtocolException($"{what}: client {envelope.SenderId} is not a decryptor of this round");
            }
            if (!HeEnvelopeSigning.Verify(parameters, envelope))
            {
                throw new HeProtocolException($"{what}: the advertisement of decryptor {envelope.SenderId} has a bad signature");
            }
            try
            {
                var body = MessageCodec.Decode<KeyAdvertisement>(envelope.Body, envelope.Body.Length);
                if (body.Version != 1 || body.AgreementPublicKey is not { Length: 32 })
                {
                    throw new MalformedMessageException("version must be 1 and the agreement key 32 bytes");
                }
                result.Add(index, body);
            }
            catch (MalformedMessageException e)
            {
                throw new HeProtocolException($"{what}: the advertisement of decryptor {envelope.SenderId} is malformed", e);
            }
        }
        return result;
    }

    /// <summary>The public-key shares of <paramref name="adverts"/>, with a zero share for every configured decryptor not among them.</summary>
    public static PublicKeyShare[] PublicKeyShares(HeRoundParameters parameters, SortedDictionary<int, KeyAdvertisement> adverts)
    {
        var p = parameters.Plan.Parameters;
        int bodies = parameters.Plan.Options.Bodies;
        var shares = new PublicKeyShare[parameters.DecryptorIds.Count];
        for (int j = 1; j <= shares.Length; j++)
        {
            ulong[][] b;
            if (adverts.TryGetValue(j, out var advert))
            {
                try
                {
                    b = PolynomialPacking.Unpack(p, p.KeyLevel, bodies, advert.PublicKeyShare ?? [], "PublicKeyShare");
                }
                catch (MalformedMessageException e)
                {
                    throw new HeProtocolException($"the public-key share of decryptor index {j} is malformed", e);
                }
            }
            else
            {
                // An excluded decryptor contributes nothing: its b_i and its Shamir shares count as zero.
                b = [.. Enumerable.Range(0, bodies).Select(_ => new ulong[p.KeyLevel * p.Degree])];
            }
            shares[j - 1] = new PublicKeyShare(j, b);
        }
        return shares;
    }
}
