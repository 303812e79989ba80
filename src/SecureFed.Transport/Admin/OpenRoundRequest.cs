using System.Text.Json.Serialization;

namespace SecureFed.Transport.Admin;

/// <summary>Body of <c>POST /admin/v1/rounds</c> (JSON): the round's configuration. The roster is the federation's
/// enrolled, unrevoked keys at the moment the round opens.</summary>
public sealed class OpenRoundRequest
{
    /// <summary>"masking" (the default: secure aggregation with pairwise masks) or "he" (threshold homomorphic encryption).</summary>
    public string? Scheme { get; set; }

    /// <summary>For <c>"scheme": "he"</c>: the HE settings (required then, ignored otherwise).</summary>
    public HeRoundRequest? He { get; set; }

    /// <summary>The federation whose roster takes part.</summary>
    public string Federation { get; set; } = "";

    /// <summary>
    /// Client sampling: the round's roster is these enrolled, unrevoked client ids of the federation only (each round a
    /// different subset, as FedAvg samples clients); null for every enrolled, unrevoked member. A DP round's charge
    /// still goes to the federation's one ledger.
    /// </summary>
    public List<uint>? Clients { get; set; }

    /// <summary>The vectors summed (masking rounds).</summary>
    public List<VectorRequest> Vectors { get; set; } = [];

    /// <summary>Shamir threshold t; null for the graph finder's t (a strict majority of each client's share holders).</summary>
    public int? Threshold { get; set; }

    /// <summary>Fewest clients whose keys must arrive in R0 for the round to go on; null for t. On the wire
    /// <c>minClients</c> (protocol-spec/transport.md), the name problems report it under (<see cref="MinimumClientsField"/>).</summary>
    [JsonPropertyName("minClients")]
    public int? MinimumClients { get; set; }

    /// <summary>The field name a configuration problem gives <see cref="MinimumClients"/>: <c>MinClients</c>, as before the
    /// C# name was unified with the HE configuration's MinimumClients.</summary>
    public const string MinimumClientsField = "MinClients";

    /// <summary>Masking rounds: how the neighbour graph is chosen (null: the SecAgg+ finder with its default assumptions).
    /// An explicit <see cref="Threshold"/> replaces the finder's t (it must still be a strict majority of the holders).</summary>
    public GraphRequest? Graph { get; set; }

    /// <summary>Deadline of every stage, seconds after the stage opened (used for stages not in <see cref="StageDeadlinesSeconds"/>).</summary>
    public double StageDeadlineSeconds { get; set; } = 60;

    /// <summary>Optional per-stage deadlines in seconds, index = stage 0..4 (HE: H0..H3, each H3 attempt gets the H3 deadline).</summary>
    public List<double>? StageDeadlinesSeconds { get; set; }

    /// <summary>
    /// The quiet close rule (a reporting window), off when null and <see cref="StageQuietCloseSeconds"/> is null: a stage
    /// also closes before its deadline once a quorum of its expected senders has been accepted and no message has been
    /// accepted for this many seconds. Applies to every stage not in <see cref="StageQuietCloseSeconds"/>; in (0, 86400].
    /// </summary>
    public double? QuietCloseSeconds { get; set; }

    /// <summary>Optional per-stage quiet periods in seconds (index as <see cref="StageDeadlinesSeconds"/>); 0 turns the rule
    /// off for that stage; each in [0, 86400].</summary>
    public List<double>? StageQuietCloseSeconds { get; set; }

    /// <summary>
    /// The quiet close rule's quorum as a fraction of the stage's expected senders, in (0, 1]; the quorum is never below
    /// the round's own minimum (the larger of its threshold and minimum clients). Null: that minimum alone.
    /// </summary>
    public double? QuietCloseQuorum { get; set; }

    /// <summary>Float updates in, weighted average out (masking rounds); null for integer vectors.</summary>
    public FloatEncodingRequest? Float { get; set; }

    /// <summary>Distributed DP over the float encoding (masking rounds); null for none.</summary>
    public DpRoundRequest? Dp { get; set; }
}
