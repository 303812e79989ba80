using SecureFed.Protocol.Client;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// One group per client state: what it accepts, and the typed abort for each way a server can get it wrong.
public class ClientStateTests
{
    // `silentAtR0`: a client that starts but never sends its advertisement, so it is on the roster but not in U1.
    private static (ManualRound Round, Dictionary<uint, ServerMessage> Inbox) At(int stage, int clients = 4, uint? silentAtR0 = null)
    {
        var r = new ManualRound(clients, length: 4);
        var replies = r.StartClients();
        Dictionary<uint, ServerMessage> inbox = [];
        for (int s = 0; s <= stage; s++)
        {
            r.SendToServer(replies.Values.Where(e => e.SenderId != silentAtR0));
            inbox = r.CloseStage();
            if (s < stage)
            {
                replies = r.Deliver(inbox);
            }
        }
        return (r, inbox);
    }

    private static AbortReason AbortOf(ClientTransition t) => Assert.IsType<ClientAbortedState>(t.Next).Reason;

    private static SurvivorSet Survivors(ManualRound r, params uint[] ids) => new() { Survivors = RosterBitmap.Encode(r.Parameters, ids) };

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
            // U1 without client 1 (roster positions 1..3 are clients 2..4).
            Assert.Equal(AbortReason.InconsistentKeys, AbortOf(r.Clients[1].Handle(Directories.WithMembers(dir, 1, 2, 3))));
        }
        (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            var e2 = dir.Entries[1];
            var forged = new ClientEnvelope { SenderId = e2.SenderId, Stage = e2.Stage, Body = dir.Entries[2].Body, Signature = e2.Signature };
            // Committed to by the root the client is given: the signature check catches it.
            Assert.Equal(AbortReason.InvalidSignature, AbortOf(r.Clients[1].Handle(Directories.WithEntries(dir, [dir.Entries[0], forged, dir.Entries[2], dir.Entries[3]], recommit: true))));
        }
        (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            var e2 = dir.Entries[1];
            var forged = new ClientEnvelope { SenderId = e2.SenderId, Stage = e2.Stage, Body = dir.Entries[2].Body, Signature = e2.Signature };
            // Not the entry the root commits to: refused before any signature is checked.
            Assert.Equal(AbortReason.InconsistentKeys, AbortOf(r.Clients[1].Handle(Directories.WithEntries(dir, [dir.Entries[0], forged, dir.Entries[2], dir.Entries[3]], recommit: false))));
        }
        (r, inbox) = At(0);
        using (r)
        {
            var dir = (KeyDirectory)inbox[1];
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[1].Handle(Directories.WithMembers(dir, 0, 1))));
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
                ServerMessage wrong = stage == 2 ? new KeyDirectory() : new SurvivorSet { Survivors = [0x0f] };
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
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[1].Handle(Survivors(r, 2, 3, 4))));
        }
        (r, _) = At(2);
        using (r)
        {
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[1].Handle(Survivors(r, 1, 2))));
        }
    }

    // U3 is a bitmap over the roster (secagg.md 2.3): one of the wrong length, with a bit past the roster or with a bit for
    // a client outside U1 is malformed. The client aborts with the typed reason and sends nothing, and the round goes on
    // for the clients that got the server's set.
    [Theory]
    [InlineData(new byte[] { 0x0f, 0x00 })] // two bytes for a roster of five
    [InlineData(new byte[0])] // no bytes
    [InlineData(new byte[] { 0x2f })] // bit 5: past the roster
    [InlineData(new byte[] { 0x17 })] // clients 1, 2, 3 and 5: 5 never advertised keys
    public void R2_refuses_a_malformed_survivor_bitmap_as_an_invalid_server_message(byte[] bitmap)
    {
        var (r, inbox) = At(2, clients: 5, silentAtR0: 5);
        using (r)
        {
            var served = Assert.IsType<SurvivorSet>(inbox[1]);
            Assert.Equal(RosterBitmap.Encode(r.Parameters, [1, 2, 3, 4]), served.Survivors);
            ClientTransition refused = r.Clients[1].HandleBytes(MessageCodec.EncodeServerMessage(new SurvivorSet { Survivors = bitmap }));
            Assert.Equal(AbortReason.InvalidServerMessage, AbortOf(refused));
            Assert.Null(refused.Outgoing);
            ClientTransition next = r.Clients[2].HandleBytes(MessageCodec.EncodeServerMessage(served));
            Assert.IsType<ClientR3ConsistencyCheckState>(next.Next);
            Assert.Equal(ProtocolStage.ConsistencyCheck, next.Outgoing!.Stage);
        }
    }

    [Fact]
    public void R3_aborts_when_a_tag_sender_is_no_surviving_neighbour_or_the_tags_are_too_few_or_malformed()
    {
        var (r, inbox) = At(3, clients: 6); // t = 4: each client needs 3 valid tags from its 5 neighbours
        using (r)
        {
            UnmaskingRequest For(uint id, Func<UnmaskingRequest, UnmaskingRequest> edit) => edit((UnmaskingRequest)inbox[id]);
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[1].Handle(For(1, q => new UnmaskingRequest { TagSenders = [.. q.TagSenders, 7], Tags = [.. q.Tags, .. new byte[32]] }))));
            Assert.Equal(AbortReason.TooFewClients, AbortOf(r.Clients[2].Handle(For(2, q => new UnmaskingRequest { TagSenders = q.TagSenders[..2], Tags = q.Tags[..64] }))));
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[3].Handle(For(3, q => new UnmaskingRequest { TagSenders = [q.TagSenders[0], q.TagSenders[0], q.TagSenders[1]], Tags = q.Tags[..96] }))));
            Assert.Equal(AbortReason.InvalidServerMessage, AbortOf(r.Clients[4].Handle(For(4, q => new UnmaskingRequest { TagSenders = q.TagSenders, Tags = q.Tags[..^1] }))));
            // A tag sender that is this client itself is not a neighbour's vouching.
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[5].Handle(For(5, q => new UnmaskingRequest { TagSenders = [1, 2, 3, 4, 5], Tags = q.Tags }))));
            Assert.IsType<ClientCompletedState>(r.Clients[6].Handle(inbox[6]).Next);
        }
    }

    [Fact]
    public void R3_counts_only_tags_that_verify_so_the_server_cannot_forge_agreement()
    {
        var (r, inbox) = At(3, clients: 6);
        using (r)
        {
            var honest = (UnmaskingRequest)inbox[1];
            // Tags the server made up (it lacks the pairwise keys): the client refuses to reveal anything.
            byte[] forged = new byte[honest.Tags.Length];
            new Random(5).NextBytes(forged);
            ClientTransition t = r.Clients[1].Handle(new UnmaskingRequest { TagSenders = honest.TagSenders, Tags = forged });
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(t));
            Assert.Null(t.Outgoing);

            // Client 2's tags sent to client 3: right senders, keys of another pair: refused as well.
            var to2 = (UnmaskingRequest)inbox[2];
            var to3 = (UnmaskingRequest)inbox[3];
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[3].Handle(new UnmaskingRequest { TagSenders = to3.TagSenders, Tags = to2.Tags })));

            // Two of five tags spoiled (a corrupt neighbour's, say): three still verify, t - 1 = 3, so client 4 completes
            // and sends what it sends for the untouched request.
            var to4 = (UnmaskingRequest)inbox[4];
            byte[] spoiled = to4.Tags.ToArray();
            spoiled[0] ^= 1;
            spoiled[40] ^= 1;
            ClientTransition ok = r.Clients[4].Handle(new UnmaskingRequest { TagSenders = to4.TagSenders, Tags = spoiled });
            Assert.IsType<ClientCompletedState>(ok.Next);
            // Three spoiled: only two verify, fewer than t - 1.
            var to5 = (UnmaskingRequest)inbox[5];
            byte[] worse = to5.Tags.ToArray();
            worse[0] ^= 1;
            worse[40] ^= 1;
            worse[70] ^= 1;
            Assert.Equal(AbortReason.InconsistentSurvivorSet, AbortOf(r.Clients[5].Handle(new UnmaskingRequest { TagSenders = to5.TagSenders, Tags = worse })));
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
