using SecureFed.Protocol.Client;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// One group per client state: what it accepts, and the typed abort for each way a server can get it wrong.
public class ClientStateTests
{
    private static (ManualRound Round, Dictionary<uint, ServerMessage> Inbox) At(int stage, int clients = 4)
    {
        var r = new ManualRound(clients, length: 4);
        var replies = r.StartClients();
        Dictionary<uint, ServerMessage> inbox = [];
        for (int s = 0; s <= stage; s++)
        {
            r.SendToServer(replies.Values);
            inbox = r.CloseStage();
            if (s < stage)
            {
                replies = r.Deliver(inbox);
            }
        }
        return (r, inbox);
    }

    private static AbortReason AbortOf(ClientTransition t) => Assert.IsType<ClientAbortedState>(t.Next).Reason;

    [Fact]
    public void R0_moves_to_R1_on_a_valid_directory_and_sends_one_bundle_per_neighbour()
    {
        var (r, inbox) = At(0);
        using (r)
        {
            Assert.IsType<ClientR0AdvertiseKeysState>(r.Clients[1]);
            ClientTransition t = r.Clients[1].Handle(inbox[1]);
            Assert.IsType<ClientR1ShareKeysState>(t.Next);
            Assert.Equal(ProtocolStage.ShareKeys, t.Outgoing!.Stage);
            var body = MessageCodec.Decode<ShareKeys>(t.Outgoing.Body, 1 << 20);
            Assert.Equal([2u, 3u, 4u], body.Shares.Select(s => s.PeerId));
        }
    }

    [Fact]
    public void R0_aborts_on_a_directory_without_its_own_keys_with_a_bad_signature_or_too_few_entries()
    {
        var (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            Assert.Equal(AbortReason.InconsistentKeys, AbortOf(r.Clients[1].Handle(new KeyDirectory { Entries = [.. dir.Entries.Where(e => e.SenderId != 1)] })));
        }
        (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            var e2 = dir.Entries[1];
            var forged = new ClientEnvelope { SenderId = e2.SenderId, Stage = e2.Stage, Body = dir.Entries[2].Body, Signature = e2.Signature };
            Assert.Equal(AbortReason.InvalidSignature, AbortOf(r.Clients[1].Handle(new KeyDirectory { Entries = [dir.Entries[0], forged, dir.Entries[2], dir.Entries[3]] })));
        }
        (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[1].Handle(new KeyDirectory { Entries = [dir.Entries[0], dir.Entries[1]] })));
        }
    }

    [Fact]
    public void Every_state_aborts_on_the_wrong_message_type()
    {
        for (int stage = 0; stage < 4; stage++)
        {
            var (r, _) = At(stage);
            using (r)
            {
                ServerMessage wrong = stage == 2 ? new KeyDirectory() : new SurvivorSet { Survivors = [1, 2, 3, 4] };
                Assert.Equal(AbortReason.InvalidServerMessage, AbortOf(r.Clients[1].Handle(wrong)));
            }
        }
    }

    [Fact]
    public void R1_aborts_when_a_bundle_is_not_from_a_neighbour_or_fails_authentication()
    {
        var (r, inbox) = At(1);
        using (r)
        {
            var d = (ShareDelivery)inbox[1];
            var swapped = new ShareDelivery { Shares = [d.Shares[1], d.Shares[0], d.Shares[2]] }; // out of order
            Assert.Equal(AbortReason.InvalidServerMessage, AbortOf(r.Clients[1].Handle(swapped)));
        }
        (r, inbox) = At(1);
        using (r)
        {
            var d = (ShareDelivery)inbox[1];
            var other = new ShareDelivery { Shares = [new EncryptedShareBundle { PeerId = 2, Ciphertext = d.Shares[1].Ciphertext }, new EncryptedShareBundle { PeerId = 3, Ciphertext = d.Shares[0].Ciphertext }, d.Shares[2]] };
            Assert.Equal(AbortReason.ShareDecryptionFailed, AbortOf(r.Clients[1].Handle(other)));
        }
    }

    [Fact]
    public void R2_aborts_on_a_survivor_set_without_itself_or_below_threshold()
    {
        var (r, _) = At(2);
        using (r)
        {
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[1].Handle(new SurvivorSet { Survivors = [2, 3, 4] })));
        }
        (r, _) = At(2);
        using (r)
        {
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[1].Handle(new SurvivorSet { Survivors = [1, 2] })));
            Assert.Equal(AbortReason.InvalidServerMessage, AbortOf(r.Clients[2].Handle(new SurvivorSet { Survivors = [2, 1, 3] })));
        }
    }

    [Fact]
    public void R3_aborts_when_the_alive_set_differs_or_signatures_are_too_few()
    {
        var (r, inbox) = At(3);
        using (r)
        {
            var req = (UnmaskingRequest)inbox[1];
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[1].Handle(new UnmaskingRequest { Alive = [1, 2, 3], Dropped = [], ConsistencySignatures = req.ConsistencySignatures })));
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[2].Handle(new UnmaskingRequest { Alive = req.Alive, Dropped = [], ConsistencySignatures = [req.ConsistencySignatures[0]] })));
            var dup = req.ConsistencySignatures[0];
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[3].Handle(new UnmaskingRequest { Alive = req.Alive, Dropped = [], ConsistencySignatures = [dup, dup, dup] })));
            Assert.IsType<ClientCompletedState>(r.Clients[4].Handle(req).Next);
        }
    }

    [Fact]
    public void A_server_abort_notice_ends_any_state_and_secrets_never_show_in_ToString()
    {
        var (r, _) = At(1);
        using (r)
        {
            Assert.DoesNotContain("Secret", r.Clients[1].ToString(), StringComparison.Ordinal);
            ClientTransition t = r.Clients[1].Handle(new RoundAbortNotice { Reason = AbortReason.TooFewClients, Detail = "x" });
            Assert.Equal(AbortReason.ServerAborted, AbortOf(t));
        }
    }
}
