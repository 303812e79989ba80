using System.Security.Cryptography;
using SecureFed.Protocol.Client;
using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Derivation;
using SecureFed.Protocol.Graph;
using SecureFed.Protocol.Messages;
using SecureFed.Testing;

namespace SecureFed.Protocol.Tests;

// The client reads a key directory from its bytes without MessagePack's objects (issue 18); these pin that it accepts
// and refuses exactly what the general decoder does, and that the derivations it uses instead give the same bytes.
public class KeyDirectoryReadingTests
{
    private static (ManualRound Round, KeyDirectory Directory) Directory(int clients = 6)
    {
        var r = new ManualRound(clients, length: 4);
        r.SendToServer(r.StartClients().Values);
        var inbox = r.CloseStage();
        return (r, (KeyDirectory)inbox[1]);
    }

    private static void AssertSameEntries(KeyDirectory expected, DecodedKeyDirectory actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Advertised, actual.Advertised.ToArray());
        Assert.Equal(expected.Root, actual.Root.ToArray());
        Assert.Equal(expected.Proof, actual.Proof.ToArray());
        Assert.Equal(expected.Entries.Length, actual.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            ClientEnvelope e = expected.Entries[i];
            DirectoryEntry a = actual.Entries[i];
            Assert.True(a.Present);
            Assert.Equal((e.Version, e.SenderId, e.Stage), (a.Version, a.SenderId, a.Stage));
            Assert.Equal(e.Body, a.Body.ToArray());
            Assert.Equal(e.Signature, a.Signature.ToArray());
        }
    }

    [Fact]
    public void The_canonical_directory_reads_as_the_general_decoder_reads_it()
    {
        var (r, directory) = Directory();
        using (r)
        {
            byte[] bytes = MessageCodec.EncodeServerMessage(directory);
            using DecodedKeyDirectory read = DecodedKeyDirectory.TryRead(bytes, bytes.Length)!;
            Assert.NotNull(read);
            AssertSameEntries(directory, read);
            Assert.Null(DecodedKeyDirectory.TryRead(bytes, bytes.Length - 1)); // over the limit: the general decoder refuses it
            Assert.Null(DecodedKeyDirectory.TryRead(MessageCodec.EncodeServerMessage(new SurvivorSet { Survivors = [1, 2] }), 1 << 20));
        }
    }

    [Fact]
    public void Mutated_directories_are_read_only_when_the_general_decoder_reads_the_same_entries()
    {
        var (r, directory) = Directory(4);
        using (r)
        {
            byte[] bytes = MessageCodec.EncodeServerMessage(directory);
            var random = new Random(18);
            int fast = 0, refused = 0;
            for (int trial = 0; trial < 3000; trial++)
            {
                byte[] mutated = ByteMutations.Mutate(bytes, random);
                ServerMessage? general = null;
                try
                {
                    general = MessageCodec.DecodeServerMessage(mutated, 1 << 20);
                }
                catch (MalformedMessageException)
                {
                    refused++;
                }
                using DecodedKeyDirectory? read = DecodedKeyDirectory.TryRead(mutated, 1 << 20);
                if (read is null)
                {
                    continue;
                }
                fast++;
                AssertSameEntries(Assert.IsType<KeyDirectory>(general), read);
            }
            Assert.True(fast > 100 && refused > 100, $"{fast} read by the fast path, {refused} refused: the mutations should exercise both");
        }
    }

    [Fact]
    public void A_directory_claiming_more_entries_than_its_bytes_hold_is_left_to_the_general_decoder()
    {
        // [0, [1, bin U1, bin root, array32 of 65,536 entries]] followed by 200 bytes: neither decoder sizes anything by the claim.
        byte[] bytes = [0x92, 0x00, 0x95, 0x01, 0xc4, 0x01, 0x0f, 0xc4, 0x20, .. new byte[32], 0xdd, 0x00, 0x01, 0x00, 0x00, .. new byte[200]];
        Assert.Null(DecodedKeyDirectory.TryRead(bytes, 1 << 20));
        Assert.Throws<MalformedMessageException>(() => MessageCodec.DecodeServerMessage(bytes, 1 << 20));
    }

    [Fact]
    public void A_client_handed_bytes_aborts_as_one_handed_the_decoded_directory()
    {
        var (r, directory) = Directory(4);
        using (r)
        {
            var t = r.Clients[1].HandleBytes(MessageCodec.EncodeServerMessage(Directories.WithMembers(directory, 1, 2, 3)));
            Assert.Equal(AbortReason.InconsistentKeys, Assert.IsType<ClientAbortedState>(t.Next).Reason);
        }
        (r, directory) = Directory(4);
        using (r)
        {
            var e2 = directory.Entries[1];
            var forged = new ClientEnvelope { SenderId = e2.SenderId, Stage = e2.Stage, Body = directory.Entries[2].Body, Signature = e2.Signature };
            var bad = Directories.WithEntries(directory, [directory.Entries[0], forged, directory.Entries[2], directory.Entries[3]], recommit: true);
            var t = r.Clients[1].HandleBytes(MessageCodec.EncodeServerMessage(bad));
            Assert.Equal(AbortReason.InvalidSignature, Assert.IsType<ClientAbortedState>(t.Next).Reason);
        }
        (r, directory) = Directory(4);
        using (r)
        {
            var unordered = Directories.WithEntries(directory, [directory.Entries[1], directory.Entries[0], directory.Entries[2], directory.Entries[3]], recommit: false);
            var t = r.Clients[1].HandleBytes(MessageCodec.EncodeServerMessage(unordered));
            Assert.Equal(AbortReason.InvalidServerMessage, Assert.IsType<ClientAbortedState>(t.Next).Reason);
        }
        (r, directory) = Directory(4);
        using (r)
        {
            var t = r.Clients[1].HandleBytes(MessageCodec.EncodeServerMessage(directory));
            Assert.IsType<ClientR1ShareKeysState>(t.Next);
        }
    }

    [Fact]
    public void The_session_id_binds_the_configuration_the_count_and_the_root_of_every_advertisement()
    {
        var (r, directory) = Directory(5);
        using (r)
        {
            byte[] config = r.Parameters.ConfigurationHash.ToArray();
            Assert.Equal(DirectoryTree.Build(directory.Entries).Root, directory.Root); // complete graph: every entry
            byte[] expected = SHA256.HashData([.. SessionDerivation.SessionLabel, .. config, 0, 0, 0, 5, .. directory.Root]);
            Assert.Equal(expected, SessionDerivation.SessionId(config, directory.Entries));
            Assert.Equal(expected, SessionDerivation.SessionId(config, 5, directory.Root));
        }
    }

    [Fact]
    public void The_blocked_survivor_hash_equals_one_append_per_id()
    {
        byte[] session = SHA256.HashData("s"u8);
        // Across several 256-id blocks with a partial last one; the last id has four distinct bytes (byte order).
        uint[] survivors = [.. Enumerable.Range(1, 1000).Select(i => (uint)(3 * i)), 0x80FF7F01u];
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(SessionDerivation.SurvivorsLabel);
        h.AppendData(session);
        foreach (uint id in survivors)
        {
            h.AppendData([(byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id]);
        }
        byte[] expected = h.GetHashAndReset();
        Assert.Equal(expected, SessionDerivation.SurvivorSetHash(session, survivors));
        Assert.Equal(expected, SessionDerivation.SurvivorSetHash(session, survivors.ToList())); // a list, not an array
        Assert.Equal(SHA256.HashData([.. SessionDerivation.SurvivorsLabel, .. session]), SessionDerivation.SurvivorSetHash(session, []));
    }

    [Theory]
    [InlineData(GraphKind.Harary, 50, 10)]
    [InlineData(GraphKind.Harary, 9, 8)]
    [InlineData(GraphKind.Complete, 12, 0)]
    public void A_clients_own_neighbours_are_its_neighbours_in_the_whole_graph(GraphKind kind, int n, int k)
    {
        using var r = new ManualRound(n, length: 4);
        var configuration = new RoundConfiguration
        {
            RoundId = r.Configuration.RoundId,
            Vectors = r.Configuration.Vectors,
            Graph = kind,
            GraphDegree = k,
            Threshold = kind == GraphKind.Complete ? n / 2 + 1 : k / 2 + 1,
            Roster = r.Configuration.Roster,
        };
        RoundParameters p = RoundParameters.Create(configuration);
        byte[] session = SHA256.HashData(BitConverter.GetBytes(n));
        uint[] advertised = [.. p.ClientIds.Where(id => id % 7 != 3)]; // some clients never advertised
        INeighbourGraph graph = NeighbourGraphs.Create(p, session, advertised);
        foreach (uint id in p.ClientIds)
        {
            Assert.Equal(graph.NeighboursOf(id), NeighbourGraphs.NeighboursOf(p, session, advertised, id));
        }
    }
}
