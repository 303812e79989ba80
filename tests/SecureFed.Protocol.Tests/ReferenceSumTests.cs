using SecureFed.Protocol.Configuration;
using SecureFed.Protocol.Diagnostics;
using SecureFed.Protocol.Simulation;

namespace SecureFed.Protocol.Tests;

public class ReferenceSumTests
{
    private static readonly VectorSpec[] Specs = [new VectorSpec { Length = 3, Bits = 16 }];

    private static ulong[][] Input(uint id) => [[id, 2 * id, 65535]];

    [Fact]
    public void Only_accepted_inputs_join_the_sum_and_a_wrong_sum_or_survivor_set_does_not_match()
    {
        var reference = new ReferenceSum(Specs, 3);
        for (uint id = 1; id <= 3; id++)
        {
            ulong[][] handed = reference.Track(id, Input)();
            Array.Clear(handed[0]); // the client wipes its own copy; the reference keeps its own
        }
        reference.Accept(1);
        reference.Discard(2); // dropped: never added
        reference.Accept(3);
        ulong[] expected = [4, 8, (65535 * 2) % 65536];
        Assert.True(reference.Matches([1, 3], [expected]));
        Assert.False(reference.Matches([1, 2, 3], [expected]));
        Assert.False(reference.Matches([1, 3], [[4, 8, 0]]));
        reference.TakeInputTicks(1);
        Assert.Equal(0, reference.TakeInputTicks(1));
    }

    [Fact]
    public void Peak_resident_memory_is_reported_on_linux()
    {
        long? bytes = PeakResidentMemory.Read();
        if (OperatingSystem.IsLinux())
        {
            Assert.True(bytes > 0);
        }
        else
        {
            Assert.Null(bytes);
        }
    }
}
