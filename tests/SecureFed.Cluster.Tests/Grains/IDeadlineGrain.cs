namespace SecureFed.Cluster.Tests.Grains;

/// <summary>A test grain that arms a reminder, as a round grain will for a stage deadline.</summary>
public interface IDeadlineGrain : IGrainWithStringKey
{
    Task ArmAsync(TimeSpan due);

    Task DisarmAsync();

    /// <summary>How many times the reminder fired (kept in grain storage).</summary>
    Task<int> FiredAsync();
}
