namespace SecureFed.Cluster.Tests.Grains;

/// <summary>A test grain whose count lives in the cluster's grain storage.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int amount);

    Task<int> GetAsync();

    /// <summary>The silo this activation runs on.</summary>
    Task<SiloAddress> SiloAsync();
}
