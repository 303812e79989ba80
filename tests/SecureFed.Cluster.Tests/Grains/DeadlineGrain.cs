using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Tests.Grains;

public sealed class DeadlineGrain([PersistentState("deadline", ClusterStorageNames.GrainStorage)] IPersistentState<CounterState> fired)
    : Grain, IDeadlineGrain, IRemindable
{
    public const string ReminderName = "stage-deadline";

    // Orleans' smallest reminder period is one minute; the first tick comes after `due`.
    public Task ArmAsync(TimeSpan due) => this.RegisterOrUpdateReminder(ReminderName, due, TimeSpan.FromMinutes(1));

    public async Task DisarmAsync()
    {
        IGrainReminder? reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<int> FiredAsync() => Task.FromResult(fired.State.Value);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            fired.State.Value++;
            await fired.WriteStateAsync();
        }
    }
}
