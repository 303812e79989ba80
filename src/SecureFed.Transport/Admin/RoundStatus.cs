namespace SecureFed.Transport.Admin;

/// <summary>A round as the operator sees it (<c>GET /admin/v1/rounds/{id}</c>, JSON).</summary>
public sealed class RoundStatus
{
    /// <summary>32 hex digits.</summary>
    public string RoundId { get; set; } = "";

    /// <summary>The federation it runs in.</summary>
    public string Federation { get; set; } = "";

    /// <summary>"running", "completed" or "aborted".</summary>
    public string Status { get; set; } = "";

    /// <summary>The stage collecting messages (0..4), null when over.</summary>
    public int? Stage { get; set; }

    /// <summary>When that stage closes at the latest (ms since the Unix epoch), null when over.</summary>
    public long? StageDeadlineUnixMs { get; set; }

    /// <summary>The quiet close rule's period per stage in seconds (0: off for that stage); null when the round has no quiet close rule.</summary>
    public List<double>? QuietCloseSeconds { get; set; }

    /// <summary>The quiet close rule's quorum fraction of the expected senders, null for the round's minimum alone (or no rule).</summary>
    public double? QuietCloseQuorum { get; set; }

    /// <summary>The open stage's quiet close quorum (accepted messages needed before a quiet period can close it); null
    /// when the rule is off for the stage or the round is over.</summary>
    public int? StageQuorum { get; set; }

    /// <summary>Clients on the roster.</summary>
    public int RosterSize { get; set; }

    /// <summary>The Shamir threshold.</summary>
    public int Threshold { get; set; }

    /// <summary>Messages accepted in the current stage.</summary>
    public int Received { get; set; }

    /// <summary>Messages expected in the current stage.</summary>
    public int Expected { get; set; }

    /// <summary>When completed: the clients whose inputs are in the sum (HE: the contributors).</summary>
    public List<uint>? Survivors { get; set; }

    /// <summary>When completed: clients that shared keys but dropped before their masked input.</summary>
    public List<uint>? Dropped { get; set; }

    /// <summary>When completed (and asked for): the sum of each vector mod 2^bits.</summary>
    public List<ulong[]>? Sums { get; set; }

    /// <summary>When aborted: the abort reason's name.</summary>
    public string? AbortReason { get; set; }

    /// <summary>When aborted: why, in words.</summary>
    public string? AbortDetail { get; set; }

    /// <summary>"masking" or "he".</summary>
    public string Scheme { get; set; } = Schemes.Masking;

    /// <summary>HE rounds, when completed: decryption attempts used (2 or more after a retry).</summary>
    public int? Attempts { get; set; }

    /// <summary>
    /// HE rounds, when completed: how the sum was checked against bad decryption shares (he.md 10.7):
    /// "second-subset" (a disjoint second set agreed), "overlapping-subset" (a second set sharing decryptors with the first
    /// agreed: a bad share from a shared one would shift both alike), "elimination", or "unverified" (exactly one set of
    /// t decryptors could answer).
    /// </summary>
    public string? DecryptionCheck { get; set; }

    /// <summary>HE rounds, when completed: decryptors (client ids) excluded for a share a deciding set outvoted.</summary>
    public List<uint>? ExcludedDecryptors { get; set; }

    /// <summary>Masking rounds: the neighbour graph, "harary" (SecAgg+) or "complete"; null for HE rounds.</summary>
    public string? Graph { get; set; }

    /// <summary>Masking rounds: neighbours per client, k (n - 1 for the complete graph); null for HE rounds.</summary>
    public int? GraphDegree { get; set; }

    /// <summary>Masking rounds: the graph seed (secagg.md 6, 64 hex digits), derived from the session id once R0
    /// closed; null before then and for HE rounds.</summary>
    public string? GraphSeed { get; set; }

    /// <summary>The service's peak resident memory so far (Linux VmHWM, whole process, MiB); null where the platform does not report it.</summary>
    public double? ServerPeakMb { get; set; }

    /// <summary>Float and DP rounds: the encoding, and for DP the epsilon of the round and the federation's ledger; null for an integer round.</summary>
    public RoundEncodingStatus? Encoding { get; set; }
}
