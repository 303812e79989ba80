using System.Globalization;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace SecureFed.Cluster.Hosting;

/// <summary>
/// Places a round's shard grains (key <c>ROUND/SHARD</c>) round-robin over the compatible silos, starting at a silo
/// picked by the round id: the S shards of one round land on min(S, silos) different silos, so the round's arithmetic
/// divides over the cluster. Orleans' random placement would put all three shards of a 3-shard round on one silo one
/// time in nine, and its resource-optimised default looks at load, which is the same on every silo when a round opens.
/// When a silo dies, the director runs again for its shards over the survivors.
/// </summary>
internal sealed class ShardPlacementStrategy : PlacementStrategy
{
    public ShardPlacementStrategy()
    {
    }
}

/// <summary>Marks a grain class for <see cref="ShardPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacementStrategy());

/// <summary>The director of <see cref="ShardPlacementStrategy"/>.</summary>
internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SiloAddress[] silos = [.. context.GetCompatibleSilos(target).Order()];
        if (silos.Length == 0)
        {
            throw new OrleansException($"no silo can host {target.GrainIdentity}");
        }
        return Task.FromResult(silos[IndexOf(target.GrainIdentity.Key.ToString(), silos.Length)]);
    }

    /// <summary>The round id's first 4 bytes plus the shard number: shards of a round are consecutive slots, and rounds
    /// start at different silos. A key of another form goes to the first silo.</summary>
    internal static int IndexOf(string key, int silos)
    {
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 8 || !uint.TryParse(key.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint start)
            || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int shard))
        {
            return 0;
        }
        return (int)(((ulong)start + (ulong)shard) % (ulong)silos);
    }
}
