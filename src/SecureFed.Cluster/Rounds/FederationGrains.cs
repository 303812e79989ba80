using Orleans.Concurrency;

namespace SecureFed.Cluster.Rounds;

/// <summary>A federation's roster (keyed by federation name), in the cluster's grain storage.</summary>
internal interface IFederationGrain : IGrainWithStringKey
{
    /// <summary>Enrols keys (an enrolled key keeps its id); a revoked key refuses the whole request (nothing stored).</summary>
    Task<EnrolReply> Enrol(byte[][] keys, long nowMs);

    /// <summary>Revokes a client; false when there is no such client.</summary>
    Task<bool> Revoke(uint clientId);

    /// <summary>Unrevoked clients, ascending id: the roster of a new round.</summary>
    [AlwaysInterleave]
    Task<RosterReply> ActiveRoster();

    /// <summary>The revoked keys (front ends cache them briefly; see <c>ClusterRoundHost</c>).</summary>
    [AlwaysInterleave]
    Task<byte[][]> RevokedKeys();
}

/// <summary>A one-time enrolment token, keyed by the hex SHA-256 of the token (the token itself is never stored).</summary>
internal interface IEnrolmentTokenGrain : IGrainWithStringKey
{
    /// <summary>Stores the token for the federation until <paramref name="expiresMs"/>.</summary>
    Task Create(string federation, long expiresMs);

    /// <summary>Spends the token and enrols the key; null federation when the token is unknown, used or expired.</summary>
    Task<RedeemReply> Redeem(byte[] key, long nowMs);
}

/// <summary>Ids of enrolled keys, or the first revoked key (hex) that refused the request.</summary>
[GenerateSerializer, Immutable]
internal sealed record EnrolReply([property: Id(0)] uint[] Ids, [property: Id(1)] string? RevokedKeyHex);

/// <summary>A roster: client ids ascending and their identity keys.</summary>
[GenerateSerializer, Immutable]
internal sealed record RosterReply([property: Id(0)] uint[] ClientIds, [property: Id(1)] byte[][] Keys);

/// <summary>A redeemed token's federation and client id; <see cref="RevokedKeyHex"/> when the key was revoked.</summary>
[GenerateSerializer, Immutable]
internal sealed record RedeemReply([property: Id(0)] string? Federation, [property: Id(1)] uint ClientId, [property: Id(2)] string? RevokedKeyHex);

/// <summary>A federation's stored roster.</summary>
[GenerateSerializer]
internal sealed class FederationState
{
    [Id(0)]
    public List<EnrolledClient> Clients { get; set; } = [];
}

/// <summary>One enrolled key.</summary>
[GenerateSerializer]
internal sealed class EnrolledClient
{
    [Id(0)]
    public uint ClientId { get; set; }

    [Id(1)]
    public byte[] Key { get; set; } = [];

    [Id(2)]
    public bool Revoked { get; set; }

    [Id(3)]
    public long EnrolledAtMs { get; set; }
}

/// <summary>A stored enrolment token.</summary>
[GenerateSerializer]
internal sealed class EnrolmentTokenState
{
    [Id(0)]
    public string? Federation { get; set; }

    [Id(1)]
    public long ExpiresMs { get; set; }

    [Id(2)]
    public bool Used { get; set; }
}
