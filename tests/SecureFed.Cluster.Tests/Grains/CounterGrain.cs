using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Tests.Grains;

public sealed class CounterGrain(
    [PersistentState("counter", ClusterStorageNames.GrainStorage)] IPersistentState<CounterState> state,
    ILocalSiloDetails silo)
    : Grain, ICounterGrain
{
    public async Task<int> AddAsync(int amount)
    {
        state.State.Value += amount;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(state.State.Value);

    public Task<SiloAddress> SiloAsync() => Task.FromResult(silo.SiloAddress);
}
