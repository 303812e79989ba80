using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SecureFed.Primitives.KeyAgreement;
using SecureFed.Primitives.Prg;
using SecureFed.Primitives.Randomness;
using SecureFed.Primitives.Shamir;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;
using SecureFed.Protocol.Quantization;
using SecureFed.Protocol.Server;

namespace SecureFed.Testing.Vectors;

/// <summary>
/// Builds the JSON test vectors of protocol-spec/test-vectors/ from fixed inputs. The suite regenerates them and
/// compares with the committed files; set SECUREFED_WRITE_VECTORS=1 to rewrite the files after a deliberate change.
/// </summary>
public static class SecAggVectors
{
    public static IReadOnlyDictionary<string, Func<JsonNode>> All { get; } = new Dictionary<string, Func<JsonNode>>
    {
        ["secagg-key-agreement.json"] = KeyAgreement,
        ["secagg-mask-prg.json"] = MaskPrg,
        ["secagg-shamir.json"] = Shamir,
        ["secagg-quantization.json"] = Quantization,
        ["secagg-round.json"] = WholeRound,
        ["secagg-graph.json"] = Graph,
        ["secagg-directory.json"] = DirectoryVectors.Directory,
        ["secagg-finder.json"] = Finder,
        ["secagg-deterministic-random.json"] = RandomnessVectors.DeterministicRandom,
        ["secagg-float-configuration.json"] = FloatConfiguration,
    };

    /// <summary>
    /// Float and DP round configurations (secagg.md 2.1 keys 7/8, optional trailing keys): the canonical encodings and
    /// configuration hashes, and the integer round's 7-element form of the same round.
    /// </summary>
    public static JsonNode FloatConfiguration()
    {
        byte[] roundId = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];
        Protocol.Configuration.RosterEntry[] roster = [.. Enumerable.Range(1, 3).Select(i => new Protocol.Configuration.RosterEntry
        {
            ClientId = (uint)i,
            IdentityKey = Primitives.Signatures.IdentityKeyPair.FromSeed(Enumerable.Repeat((byte)i, 32).ToArray()).PublicKey.Bytes.ToArray(),
        })];
        var plain = Protocol.Updates.FloatEncodingParameters.Create(new Protocol.Updates.FloatEncodingOptions { Length = 4, ClipNorm = 1.5, Clients = 3, Bits = 32, MaxWeight = 1 });
        var dp = Privacy.Rounds.DpRoundParameters.Create(new Privacy.Rounds.DpRoundOptions
        {
            ClipNorm = 1, TargetEpsilon = 4, Delta = 1e-5, Dimension = 5, RosterSize = 3, MinimumSurvivors = 2, Bits = 32,
        });
        Protocol.Configuration.RoundConfiguration Config(Protocol.Updates.FloatRoundEncoding? e) => new()
        {
            RoundId = roundId,
            Vectors = e?.Vectors() ?? [new Protocol.Configuration.VectorSpec { Length = 4, Bits = 32 }],
            Threshold = 2,
            Roster = roster,
            FloatEncoding = e?.Plain?.ToConfiguration(),
            Dp = e?.Dp?.ToConfiguration(),
        };
        JsonObject Case(Protocol.Configuration.RoundConfiguration c)
        {
            var p = Protocol.Configuration.RoundParameters.Create(c);
            return new JsonObject
            {
                ["vectors"] = new JsonArray([.. c.Vectors.Select(v => (JsonNode)new JsonArray(v.Length, v.Bits))]),
                ["configuration_hex"] = Hex(p.EncodedConfiguration.Span),
                ["configuration_hash"] = Hex(p.ConfigurationHash.Span),
            };
        }
        var d = dp.ToConfiguration();
        return new JsonObject
        {
            ["description"] = "RoundConfiguration with the optional keys 7 (FloatEncoding) and 8 (Dp) of secagg.md 2.1, left out while nil. Round id bytes 1..16, " +
                "roster ids 1..3 with Ed25519 seeds 32 x byte(id), threshold 2, complete graph. 'integer' is the same round without an encoding (one vector 4 x 32). " +
                "dp_configuration lists DpRoundConfiguration keys 0..14 in order (dp.md 8; keys 3, 4, 10, 11, 13, 14 are float64).",
            ["round_id"] = Hex(roundId),
            ["float_encoding"] = new JsonObject
            {
                ["length"] = plain.Length, ["clip_norm"] = plain.ClipNorm, ["clients"] = plain.Clients, ["bits"] = plain.Bits, ["max_weight"] = plain.MaxWeight, ["rounding"] = 0,
            },
            ["dp_configuration"] = new JsonArray(d.Version, (int)d.Mechanism, d.Dimension, d.ClipNorm, d.Scale, d.Bits, d.NoiseVarianceNumerator, d.NoiseVarianceDenominator,
                d.ExpectedClients, d.MinimumSurvivors, d.Delta, d.RoundingBeta, d.Rounds, d.SamplingRate, d.TargetEpsilon),
            ["integer"] = Case(Config(null)),
            ["float"] = Case(Config(Protocol.Updates.FloatRoundEncoding.For(plain))),
            ["dp"] = Case(Config(Protocol.Updates.FloatRoundEncoding.For(dp))),
        };
    }

    public static JsonNode Graph()
    {
        byte[] session = SHA256.HashData("SecureFed graph vector"u8);
        uint[] members = [.. Enumerable.Range(1, 20).Select(i => (uint)(i * 5))];
        uint[] ring = Protocol.Graph.GraphPermutation.Shuffle(session, members);
        var g = new Protocol.Graph.HararyGraph(ring, 4);
        return new JsonObject
        {
            ["description"] = "Harary graph: ring = Fisher-Yates shuffle of the ascending members driven by AES-256-CTR(HKDF-SHA256(session id, salt empty, info 'SecureFed/secagg/v1/graph-permutation')); neighbours within ring distance k/2",
            ["session_id"] = Hex(session),
            ["members"] = new JsonArray([.. members.Select(x => (JsonNode)x)]),
            ["degree"] = 4,
            ["ring"] = new JsonArray([.. ring.Select(x => (JsonNode)x)]),
            ["neighbours_of_first_member"] = new JsonArray([.. g.NeighboursOf(members[0]).Select(x => (JsonNode)x)]),
        };
    }

    public static JsonNode Finder()
    {
        var rows = new JsonArray();
        foreach (var (n, gamma, delta, model) in new[]
                 {
                     (100, 0.05, 0.3, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (1000, 0.05, 0.1, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (1000, 0.1, 0.1, Protocol.Planning.AdversaryModel.SemiMalicious),
                     (10_000, 0.05, 0.1, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (10_000, 0.2, 0.2, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (100_000, 0.05, 0.05, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (1_000_000, 0.1, 0.1, Protocol.Planning.AdversaryModel.SemiMalicious),
                     // Two thresholds qualify at the chosen k in each of these rows; the finder takes the smaller.
                     (1000, 0.01, 0.01, Protocol.Planning.AdversaryModel.HonestButCurious),
                     (1000, 0.02, 0.02, Protocol.Planning.AdversaryModel.HonestButCurious),
                 })
        {
            var plan = Protocol.Planning.SecAggPlusPlanner.Plan(new Protocol.Planning.GraphPlanRequest { Clients = n, CorruptFraction = gamma, DropoutFraction = delta, Adversary = model });
            rows.Add(new JsonObject
            {
                ["n"] = n, ["gamma"] = gamma, ["delta"] = delta, ["adversary"] = model.ToString(),
                ["graph"] = plan.Graph.ToString(), ["k"] = plan.Degree, ["t"] = plan.Threshold,
                ["configuration_graph_degree"] = plan.Graph == Protocol.Configuration.GraphKind.Complete ? 0 : plan.Degree,
            });
        }
        return new JsonObject
        {
            ["description"] = "SecAgg+ parameter finder (protocol-spec/secagg.md section 6.1), sigma = 40, eta = 20. k is the plan's degree " +
                "(n - 1 for the complete graph); configuration_graph_degree is what RoundConfiguration.GraphDegree then holds (0 for the complete graph). " +
                "t is the smallest qualifying threshold; in the first row and the last two rows more than one t qualifies.",
            ["rows"] = rows,
        };
    }

    private static byte[] Bytes(int start, int count) => [.. Enumerable.Range(start, count).Select(i => (byte)i)];

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    public static JsonNode KeyAgreement()
    {
        byte[] skU = Bytes(0x10, 32), skV = Bytes(0x50, 32), session = SHA256.HashData("vector session"u8);
        using var u = AgreementKeyPair.FromPrivateKey(skU);
        using var v = AgreementKeyPair.FromPrivateKey(skV);
        byte[] seed = new byte[32], shareKeyUv = new byte[32], consistencyKey = new byte[32], tag = new byte[32];
        if (!u.TryDeriveSharedKey(v.PublicKey, session, SessionDerivation.PairwiseMaskInfo(3, 7), seed) ||
            !u.TryDeriveSharedKey(v.PublicKey, session, SessionDerivation.ShareKeyInfo(3, 7), shareKeyUv) ||
            !u.TryDeriveSharedKey(v.PublicKey, session, SessionDerivation.ConsistencyKeyInfo(3, 7), consistencyKey))
        {
            throw new InvalidOperationException("agreement failed");
        }
        byte[] survivorHash = SessionDerivation.SurvivorSetHash(session, [3, 5, 7]);
        SessionDerivation.ConsistencyTag(consistencyKey, session, 3, 7, survivorHash, tag);
        return new JsonObject
        {
            ["description"] = "X25519 (RFC 7748) then HKDF-SHA256 (RFC 5869): salt = session id, info = label || BE32 ids; the consistency tag is HMAC-SHA256(consistency key, label || session id || BE32(u) || BE32(v) || survivor-set hash)",
            ["client_u"] = 3,
            ["client_v"] = 7,
            ["private_key_u"] = Hex(skU),
            ["public_key_u"] = Hex(u.PublicKey),
            ["private_key_v"] = Hex(skV),
            ["public_key_v"] = Hex(v.PublicKey),
            ["session_id"] = Hex(session),
            ["pairwise_mask_info"] = Hex(SessionDerivation.PairwiseMaskInfo(3, 7)),
            ["pairwise_mask_seed"] = Hex(seed),
            ["share_key_info_u_to_v"] = Hex(SessionDerivation.ShareKeyInfo(3, 7)),
            ["share_key_u_to_v"] = Hex(shareKeyUv),
            ["consistency_key_info"] = Hex(SessionDerivation.ConsistencyKeyInfo(3, 7)),
            ["consistency_key"] = Hex(consistencyKey),
            ["survivors"] = new JsonArray(3, 5, 7),
            ["survivor_set_hash"] = Hex(survivorHash),
            ["consistency_tag_u_to_v"] = Hex(tag),
        };
    }

    public static JsonNode MaskPrg()
    {
        byte[] seed = Bytes(0xA0, 32);
        var cases = new JsonArray();
        foreach ((int bits, ulong nonce) in new[] { (32, 0UL), (16, 1UL), (64, 0UL) })
        {
            var words = new ulong[1_000_000];
            MaskGenerator.Expand(seed, nonce, words, bits);
            int wb = MaskGenerator.WordBytes(bits);
            byte[] le = new byte[words.Length * wb];
            for (int i = 0; i < words.Length; i++)
            {
                if (wb == 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(le.AsSpan(i * 4), (uint)words[i]);
                }
                else
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(le.AsSpan(i * 8), words[i]);
                }
            }
            cases.Add(new JsonObject
            {
                ["bits"] = bits,
                ["nonce"] = nonce,
                ["first_64_words"] = new JsonArray([.. words.Take(64).Select(w => (JsonNode)JsonValue.Create(w.ToString(System.Globalization.CultureInfo.InvariantCulture)))]),
                ["sha256_of_first_1000000_words"] = Hex(SHA256.HashData(le)),
                ["words_encoding_for_hash"] = wb == 4 ? "u32 little-endian" : "u64 little-endian",
            });
        }
        return new JsonObject
        {
            ["description"] = "AES-256-CTR: key = seed, block i = AES(BE64(nonce) || BE64(i)); word i = i-th little-endian 4-byte (bits <= 32) or 8-byte word, mod 2^bits. Words are decimal strings.",
            ["seed"] = Hex(seed),
            ["cases"] = cases,
        };
    }

    public static JsonNode Shamir()
    {
        byte[] secret = Bytes(1, 32);
        int t = 3;
        uint[] holders = [1, 2, 5, 9];
        // Coefficients 1..t-1 of each of the 5 chunk polynomials, in the order Split draws them.
        ulong[] coefficients = [.. Enumerable.Range(0, 5 * (t - 1)).Select(i => (ulong)(0x0123456789ABCDL * (i + 1)) % MersenneField.P)];
        byte[] stream = new byte[coefficients.Length * 8];
        for (int i = 0; i < coefficients.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(stream.AsSpan(i * 8), coefficients[i]);
        }
        byte[] shares = new byte[holders.Length * ShamirScheme.ShareSize];
        ShamirScheme.Split(secret, t, holders, shares, new ReplayRandomSource(stream));

        // The same split from raw 64-bit words: whole words reduced mod p, the top 8 values (>= 2^64 - 8) rejected.
        ulong[] rawWords = [ulong.MaxValue, ulong.MaxValue - 8, .. Enumerable.Range(0, 5 * (t - 1) - 1).Select(i => (1UL << 63) + (ulong)i * 0x1234567890ABCDEFUL)];
        byte[] rawStream = new byte[rawWords.Length * 8];
        for (int i = 0; i < rawWords.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(rawStream.AsSpan(i * 8), rawWords[i]);
        }
        byte[] rawShares = new byte[holders.Length * ShamirScheme.ShareSize];
        ShamirScheme.Split(secret, t, holders, rawShares, new ReplayRandomSource(rawStream));
        return new JsonObject
        {
            ["description"] = "GF(2^61-1); secret split into little-endian chunks of 7,7,7,7,4 bytes; coefficients listed chunk by chunk (a1, a2 of chunk 0, then chunk 1, ...); share = 5 x u64 little-endian evaluations at x = holder id",
            ["secret"] = Hex(secret),
            ["threshold"] = t,
            ["holders"] = new JsonArray([.. holders.Select(h => (JsonNode)h)]),
            ["coefficients"] = new JsonArray([.. coefficients.Select(c => (JsonNode)c.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            ["shares"] = new JsonArray([.. holders.Select((h, i) => (JsonNode)Hex(shares.AsSpan(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize)))]),
            ["from_random_words"] = new JsonObject
            {
                ["description"] = "the same secret, threshold and holders, the coefficients drawn from these 64-bit words (given as the random source's 8-byte little-endian output): a word x is rejected when x > 2^64 - 9 and otherwise gives x mod p (secagg.md 5)",
                ["words"] = new JsonArray([.. rawWords.Select(w => (JsonNode)w.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                ["shares"] = new JsonArray([.. holders.Select((h, i) => (JsonNode)Hex(rawShares.AsSpan(i * ShamirScheme.ShareSize, ShamirScheme.ShareSize)))]),
            },
        };
    }

    public static JsonNode Quantization()
    {
        var q = FixedPointQuantizer.Create(clipRange: 2.0, bits: 20, clients: 10);
        double[] inputs = [0.0, 1.0, -1.0, 0.123456, -0.5, 2.5, -7.0, 1.9999];
        var output = new ulong[inputs.Length];
        using (var rng = new DeterministicRandomSource(42))
        {
            q.Quantize(inputs, output, rng);
        }
        return new JsonObject
        {
            ["description"] = "clip to [-r, r], scale by R / r with R = min(floor((2^bits - 1) / (2 n)), 2^52), stochastic rounding with u = (next u64 >> 11) * 2^-53 from DeterministicRandomSource(seed = 42 as 8-byte LE), one word per value (integral values too), clamp to [-R, R], two's complement mod 2^bits (secagg.md 10)",
            ["clip_range"] = 2.0,
            ["bits"] = 20,
            ["clients"] = 10,
            ["max_magnitude_R"] = q.MaxMagnitude,
            ["rng_seed"] = 42,
            ["inputs"] = new JsonArray([.. inputs.Select(x => (JsonNode)x)]),
            ["outputs"] = new JsonArray([.. output.Select(x => (JsonNode)x)]),
        };
    }

    public static JsonNode WholeRound()
    {
        using var r = new ManualRound(5, length: 6, bits: 32, threshold: 3, seed: 2017);
        var log = new JsonArray();
        void Record(string direction, uint client, string stage, byte[] bytes) => log.Add(new JsonObject
        {
            ["direction"] = direction,
            ["client"] = client,
            ["stage"] = stage,
            ["bytes"] = bytes.Length,
            ["sha256"] = Hex(SHA256.HashData(bytes)),
        });
        var replies = r.StartClients();
        string[] stages = ["R0", "R1", "R2", "R3", "R4"];
        for (int s = 0; s < 5; s++)
        {
            foreach (var (id, e) in replies.OrderBy(kv => kv.Key))
            {
                if ((s == 2 && id == 2) || (s == 4 && id == 4))
                {
                    continue; // client 2 drops before R2, client 4 before R4
                }
                byte[] bytes = MessageCodec.Encode(e);
                Record("client->server", id, stages[s], bytes);
                r.SendToServer([e]);
            }
            var inbox = r.CloseStage();
            if (s == 4)
            {
                break;
            }
            foreach (var (id, m) in inbox.OrderBy(kv => kv.Key))
            {
                Record("server->client", id, "S" + s, MessageCodec.EncodeServerMessage(m));
            }
            replies = r.Deliver(inbox);
        }
        var done = (ServerCompletedState)r.Server;
        return new JsonObject
        {
            ["description"] = "5 clients, ids 1..5, complete graph (Graph 0, GraphDegree 0); identity seeds and all randomness from one DeterministicRandomSource(2017), drawn in the order of secagg.md 11; client 2 drops before R2, client 4 before R4; one vector of 6 elements, 32 bits, t = 3; input of client i, element k = 1000 i + k",
            ["round_id"] = Hex(r.Configuration.RoundId),
            ["configuration_sha256"] = Hex(SHA256.HashData(r.Parameters.EncodedConfiguration.Span)),
            ["configuration_hash"] = Hex(r.Parameters.ConfigurationHash.Span),
            ["identity_public_keys"] = new JsonArray([.. r.Ids.Select(id => (JsonNode)r.Identity(id).PublicKey.ToString())]),
            ["messages"] = log,
            ["survivors"] = new JsonArray([.. done.Result.Survivors.Select(x => (JsonNode)x)]),
            ["dropped_before_r2"] = new JsonArray([.. done.Result.Dropped.Select(x => (JsonNode)x)]),
            ["sum"] = new JsonArray([.. done.Result.Sums[0].Select(x => (JsonNode)x)]),
        };
    }
}
