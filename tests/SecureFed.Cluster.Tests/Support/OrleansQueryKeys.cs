namespace SecureFed.Cluster.Tests;

/// <summary>
/// The query keys Microsoft.Orleans.{Clustering,Persistence,Reminders}.AdoNet 10.4.2 read from OrleansQuery
/// (the strings in those assemblies). A new Orleans version that asks for another key fails these tests first.
/// </summary>
internal static class OrleansQueryKeys
{
    public static readonly string[] Clustering =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    public static readonly string[] GrainStorage = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    public static readonly string[] Reminders =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    public static IEnumerable<string> All => Clustering.Concat(GrainStorage).Concat(Reminders);
}
