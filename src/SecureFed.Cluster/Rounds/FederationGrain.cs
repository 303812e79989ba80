using Orleans.Runtime;
using SecureFed.Cluster.Hosting;

namespace SecureFed.Cluster.Rounds;

/// <summary>
/// A federation's roster on the cluster: the single node's <c>clients</c> table as one grain's state, written to
/// PostgreSQL before any enrolment or revocation is answered.
/// </summary>
internal sealed class FederationGrain([PersistentState("federation", ClusterStorageNames.GrainStorage)] IPersistentState<FederationState> state)
    : Grain, IFederationGrain
{
    private readonly Dictionary<string, EnrolledClient> _byKey = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (EnrolledClient c in state.State.Clients)
        {
            _byKey[Convert.ToHexStringLower(c.Key)] = c;
        }
        return Task.CompletedTask;
    }

    public async Task<EnrolReply> Enrol(byte[][] keys, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (byte[] key in keys)
        {
            if (_byKey.TryGetValue(Convert.ToHexStringLower(key), out EnrolledClient? known) && known.Revoked)
            {
                return new EnrolReply([], Convert.ToHexStringLower(key));
            }
        }
        var ids = new uint[keys.Length];
        var added = new List<EnrolledClient>();
        uint next = state.State.Clients.Count == 0 ? 1 : state.State.Clients.Max(c => c.ClientId) + 1;
        for (int i = 0; i < keys.Length; i++)
        {
            string hex = Convert.ToHexStringLower(keys[i]);
            if (!_byKey.TryGetValue(hex, out EnrolledClient? client))
            {
                client = new EnrolledClient { ClientId = next++, Key = keys[i], EnrolledAtMs = nowMs };
                _byKey[hex] = client;
                state.State.Clients.Add(client);
                added.Add(client);
            }
            ids[i] = client.ClientId;
        }
        if (added.Count > 0)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                // Not stored, so not enrolled: forget what this call added.
                foreach (EnrolledClient c in added)
                {
                    state.State.Clients.Remove(c);
                    _byKey.Remove(Convert.ToHexStringLower(c.Key));
                }
                throw;
            }
        }
        return new EnrolReply(ids, null);
    }

    public async Task<bool> Revoke(uint clientId)
    {
        EnrolledClient? client = state.State.Clients.Find(c => c.ClientId == clientId);
        if (client is null)
        {
            return false;
        }
        if (!client.Revoked)
        {
            client.Revoked = true;
            try
            {
                await state.WriteStateAsync();
            }
            catch
            {
                client.Revoked = false;
                throw;
            }
        }
        return true;
    }

    public Task<RosterReply> ActiveRoster()
    {
        EnrolledClient[] active = [.. state.State.Clients.Where(c => !c.Revoked).OrderBy(c => c.ClientId)];
        return Task.FromResult(new RosterReply([.. active.Select(c => c.ClientId)], [.. active.Select(c => c.Key)]));
    }

    public Task<byte[][]> RevokedKeys() => Task.FromResult<byte[][]>([.. state.State.Clients.Where(c => c.Revoked).Select(c => c.Key)]);
}

/// <summary>One enrolment token: spent once, then it enrols its key in its federation.</summary>
internal sealed class EnrolmentTokenGrain([PersistentState("token", ClusterStorageNames.GrainStorage)] IPersistentState<EnrolmentTokenState> state)
    : Grain, IEnrolmentTokenGrain
{
    public async Task Create(string federation, long expiresMs)
    {
        state.State.Federation = federation;
        state.State.ExpiresMs = expiresMs;
        state.State.Used = false;
        await state.WriteStateAsync();
    }

    public async Task<RedeemReply> Redeem(byte[] key, long nowMs)
    {
        if (state.State.Federation is not { } federation || state.State.Used || state.State.ExpiresMs <= nowMs)
        {
            return new RedeemReply(null, 0, null);
        }
        // Spent before it enrols: a crash in between loses the token, never enrols two keys with it.
        state.State.Used = true;
        await state.WriteStateAsync();
        EnrolReply enrolled = await GrainFactory.GetGrain<IFederationGrain>(federation).Enrol([key], nowMs);
        if (enrolled.RevokedKeyHex is { } revoked)
        {
            state.State.Used = false;
            await state.WriteStateAsync();
            return new RedeemReply(federation, 0, revoked);
        }
        return new RedeemReply(federation, enrolled.Ids[0], null);
    }
}
