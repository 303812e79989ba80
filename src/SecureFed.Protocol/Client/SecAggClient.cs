using System.Runtime.Intrinsics;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Signatures;
using SecureFed.Primitives.Vectors;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Messages;

namespace SecureFed.Protocol.Client;

/// <summary>Starts a client's side of a round: the entry point of the client state machine.</summary>
public static class SecAggClient
{
    /// <summary>
    /// Creates the client's ephemeral keys and its signed R0 envelope. The client takes ownership of
    /// <paramref name="input"/> (one array per configured vector, each element below 2^bits) and wipes it once masked.
    /// The identity key stays the caller's: it is used, never disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The client is not on the roster or the input does not match the configuration.</exception>
    public static ClientTransition Start(RoundParameters parameters, uint clientId, IdentityKeyPair identity, ulong[][] input,
        IRandomSource random, ClientLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(parameters);
        ValidateInput(parameters, input);
        return Start(parameters, clientId, identity, () => input, random, limits);
    }

    /// <summary>
    /// As <see cref="Start(RoundParameters, uint, IdentityKeyPair, ulong[][], IRandomSource, ClientLimits?)"/>, but the
    /// input is asked for only when the client masks it (R2), so a long-running key setup does not hold it in memory
    /// (and the simulator can run thousands of clients). The source is called once; the client wipes what it returns.
    /// A source that returns input of the wrong shape, or with an element at or above 2^bits (found while masking), makes
    /// the R1 handler throw <see cref="ArgumentException"/>; the input is wiped all the same.
    /// </summary>
    public static ClientTransition Start(RoundParameters parameters, uint clientId, IdentityKeyPair identity, Func<ulong[][]> input,
        IRandomSource random, ClientLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(random);
        if (!parameters.Identities.TryGetValue(clientId, out IdentityPublicKey? enrolled))
        {
            throw new ArgumentException($"client {clientId} is not on the round's roster", nameof(clientId));
        }
        if (!enrolled.Equals(identity.PublicKey))
        {
            throw new ArgumentException($"the identity key does not match the one enrolled for client {clientId}", nameof(identity));
        }

        var context = new ClientContext(clientId, parameters, identity, random, limits ?? new ClientLimits());
        var secrets = new ClientSecrets(AgreementKeyPair.Generate(random), AgreementKeyPair.Generate(random), () =>
        {
            ulong[][] x = input();
            ValidateShape(parameters, x); // the range is checked while masking, in the same walk (ClientR1ShareKeysState)
            return x;
        });
        var body = new AdvertiseKeys
        {
            MaskPublicKey = secrets.MaskKey!.PublicKey.ToArray(),
            EncryptionPublicKey = secrets.EncryptionKey!.PublicKey.ToArray(),
        };
        ClientEnvelope envelope = EnvelopeSigning.Seal(identity, parameters.ConfigurationHash.Span, clientId,
            ProtocolStage.AdvertiseKeys, MessageCodec.Encode(body));
        return new ClientTransition(new ClientR0AdvertiseKeysState(context, secrets, envelope), envelope);
    }

    internal static void ValidateInput(RoundParameters parameters, ulong[][] input)
    {
        ValidateShape(parameters, input);
        for (int j = 0; j < input.Length; j++)
        {
            ValidateRange(parameters, j, input[j]);
        }
    }

    // One array per configured vector, each of its length.
    internal static void ValidateShape(RoundParameters parameters, ulong[][] input)
    {
        if (input.Length != parameters.Vectors.Count)
        {
            throw new ArgumentException($"the round has {parameters.Vectors.Count} vector(s), the input has {input.Length}", nameof(input));
        }
        for (int j = 0; j < input.Length; j++)
        {
            VectorSpec spec = parameters.Vectors[j];
            if (input[j] is null || input[j].Length != spec.Length)
            {
                throw new ArgumentException($"vector {j} must have {spec.Length} elements, got {input[j]?.Length ?? 0}", nameof(input));
            }
        }
    }

    // Every element of vector j below 2^bits: one OR over the vector (vectorised), then one test.
    internal static void ValidateRange(RoundParameters parameters, int j, ulong[] vector)
    {
        if ((OrOfAll(vector) & ~ModularArithmetic.Mask(parameters.Vectors[j].Bits)) != 0)
        {
            throw OutOfRange(parameters, j);
        }
    }

    internal static ArgumentException OutOfRange(RoundParameters parameters, int j) =>
        new($"vector {j} has an element not below 2^{parameters.Vectors[j].Bits}", "input");

    private static ulong OrOfAll(ReadOnlySpan<ulong> values)
    {
        var acc = Vector256<ulong>.Zero;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            acc |= Vector256.Create(values.Slice(i, 4));
        }
        ulong x = acc[0] | acc[1] | acc[2] | acc[3];
        for (; i < values.Length; i++)
        {
            x |= values[i];
        }
        return x;
    }
}
