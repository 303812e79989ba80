using System.Collections.Concurrent;
using System.Security.Cryptography;
using SecureFed.Aggregator.Http;
using SecureFed.Protocol.Configuration;
using SecureFed.Transport;

namespace SecureFed.Aggregator.Storage;

/// <summary>Federations' rosters (enrolled Ed25519 keys and their client ids) and one-time enrolment tokens.</summary>
internal sealed class RosterStore
{
    private readonly AggregatorDatabase _db;

    // Revoked keys, "federation/keyhex": checked on every client request, so kept in memory (loaded at start).
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);

    public RosterStore(AggregatorDatabase db)
    {
        _db = db;
        foreach (string key in _db.Read(f => f.Rows("SELECT federation, public_key FROM clients WHERE revoked = 1", r => RevokedKey(r.GetString(0), (byte[])r[1]))))
        {
            _revoked[key] = true;
        }
    }

    public static void ValidateFederationName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            throw new AggregatorProblemException(ProblemCode.InvalidFederation, "federation names are 1..64 characters of [A-Za-z0-9._-]");
        }
    }

    public bool IsRevoked(string federation, ReadOnlySpan<byte> key) => _revoked.ContainsKey(RevokedKey(federation, key.ToArray()));

    /// <summary>Adds keys to a federation's roster; a key already enrolled keeps its id, a revoked key is refused.</summary>
    public uint[] Enrol(string federation, IReadOnlyList<byte[]> keys, long nowMs)
    {
        ValidateFederationName(federation);
        return _db.Write(f => keys.Select(k => EnrolOne(f, federation, k, nowMs)).ToArray());
    }

    private static uint EnrolOne(SqliteCommandFactory f, string federation, byte[] key, long nowMs)
    {
        var enrolled = f.Rows("SELECT client_id, revoked FROM clients WHERE federation = $f AND public_key = $k",
            r => (Id: (uint)r.GetInt64(0), Revoked: r.GetInt64(1) != 0), ("$f", federation), ("$k", key));
        if (enrolled is [var found])
        {
            return found.Revoked
                ? throw new AggregatorProblemException(ProblemCode.Revoked, $"the key {Convert.ToHexStringLower(key)} was revoked in federation '{federation}'", status: 409)
                : found.Id;
        }
        long next = Convert.ToInt64(f.Scalar("SELECT COALESCE(MAX(client_id), 0) + 1 FROM clients WHERE federation = $f", ("$f", federation)) ?? 1L);
        if (next > int.MaxValue)
        {
            throw new AggregatorProblemException(ProblemCode.RosterFull, "no client ids left in this federation");
        }
        f.Execute("INSERT INTO clients(federation, client_id, public_key, enrolled_at) VALUES($f, $id, $k, $t)",
            ("$f", federation), ("$id", next), ("$k", key), ("$t", nowMs));
        return (uint)next;
    }

    public bool Revoke(string federation, uint clientId)
    {
        byte[]? key = _db.Write(f =>
        {
            var k = f.Scalar("SELECT public_key FROM clients WHERE federation = $f AND client_id = $id", ("$f", federation), ("$id", (long)clientId)) as byte[];
            f.Execute("UPDATE clients SET revoked = 1 WHERE federation = $f AND client_id = $id", ("$f", federation), ("$id", (long)clientId));
            return k;
        });
        if (key is not null)
        {
            _revoked[RevokedKey(federation, key)] = true;
        }
        return key is not null;
    }

    /// <summary>The federation's enrolled, unrevoked clients in ascending id order: the roster of a new round.</summary>
    public RosterEntry[] ActiveRoster(string federation) => [.. _db.Read(f => f.Rows(
        "SELECT client_id, public_key FROM clients WHERE federation = $f AND revoked = 0 ORDER BY client_id",
        r => new RosterEntry { ClientId = (uint)r.GetInt64(0), IdentityKey = (byte[])r[1] }, ("$f", federation)))];

    /// <summary>Stores the hash of a fresh one-time token and returns the token (shown once, never stored).</summary>
    public byte[] CreateToken(string federation, long expiresMs)
    {
        ValidateFederationName(federation);
        byte[] token = RandomNumberGenerator.GetBytes(32);
        _db.Write(f => f.Execute("INSERT INTO enrolment_tokens(token_hash, federation, expires_at) VALUES($h, $f, $e)",
            ("$h", SHA256.HashData(token)), ("$f", federation), ("$e", expiresMs)));
        return token;
    }

    /// <summary>Spends a token and enrols the key, atomically: a token enrols exactly one key.</summary>
    public (string Federation, uint ClientId) Redeem(byte[] token, byte[] key, long nowMs) => _db.Write(f =>
    {
        byte[] hash = SHA256.HashData(token);
        string? federation = f.Scalar("SELECT federation FROM enrolment_tokens WHERE token_hash = $h AND used = 0 AND expires_at > $now",
            ("$h", hash), ("$now", nowMs)) as string;
        if (federation is null)
        {
            throw new AggregatorProblemException(ProblemCode.InvalidToken, "the enrolment token is unknown, used or expired");
        }
        f.Execute("UPDATE enrolment_tokens SET used = 1 WHERE token_hash = $h", ("$h", hash));
        return (federation, EnrolOne(f, federation, key, nowMs));
    });

    private static string RevokedKey(string federation, byte[] key) => federation + "/" + Convert.ToHexStringLower(key);
}
