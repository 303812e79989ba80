using SecureFed.Aggregator.Protocols;

namespace SecureFed.Aggregator.Storage;

/// <summary>The round_encodings table: a float or DP round's encoding, written with its rounds row.</summary>
internal sealed class RoundEncodingStore(AggregatorDatabase db)
{
    /// <summary>The round's encoding, or null for an integer round.</summary>
    /// <exception cref="InvalidDataException">The stored encoding is invalid.</exception>
    public RoundEncoding? Load(byte[] roundId) => db.Read(f => f.Rows("SELECT float_encoding, dp FROM round_encodings WHERE round_id = $id",
        r => RoundEncoding.FromStored(SqliteCommandFactory.BytesOrNull(r, 0), SqliteCommandFactory.BytesOrNull(r, 1)), ("$id", roundId))).SingleOrDefault();

    /// <summary>Stores the round's encoding inside the caller's transaction.</summary>
    public static void Insert(SqliteCommandFactory f, byte[] roundId, RoundEncoding encoding) =>
        f.Execute("INSERT INTO round_encodings(round_id, float_encoding, dp) VALUES($id, $p, $d)",
            ("$id", roundId), ("$p", encoding.PlainBytes), ("$d", encoding.DpBytes));
}
