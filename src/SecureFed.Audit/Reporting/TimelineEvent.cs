using SecureFed.Transcripts;

namespace SecureFed.Audit.Reporting;

// One message on the report's timeline.
internal sealed record TimelineEvent(double Milliseconds, uint Client, int Stage, bool FromClient, int Bytes, string What)
{
    // The message of a transcript record: its time since the round opened and its size on the wire.
    public static TimelineEvent Of(TranscriptRecord record, uint party, int stage, bool fromClient, string what) =>
        new(record.Body.ElapsedMicroseconds / 1000.0, party, stage, fromClient, record.Payload.Length, what);

    public static string StageName(int stage) => stage switch
    {
        0 => "R0 AdvertiseKeys / S0 KeyDirectory",
        1 => "R1 ShareKeys / S1 ShareDelivery",
        2 => "R2 MaskedInput / S2 SurvivorSet",
        3 => "R3 ConsistencyCheck / S3 UnmaskingRequest",
        4 => "R4 UnmaskingShares",
        5 => "S4 RoundAbortNotice",
        _ => "undecodable",
    };
}
