namespace SecureFed.Protocol.Tests;

// The differential decoder tests' one mutation: flip a bit, overwrite a byte, truncate, or insert a byte.
internal static class ByteMutations
{
    public static byte[] Mutate(byte[] bytes, Random random)
    {
        byte[] m = [.. bytes];
        switch (random.Next(4))
        {
            case 0:
                m[random.Next(m.Length)] ^= (byte)(1 << random.Next(8));
                return m;
            case 1:
                m[random.Next(m.Length)] = (byte)random.Next(256);
                return m;
            case 2:
                return m[..random.Next(m.Length)];
            default:
                int at = random.Next(m.Length);
                return [.. m[..at], (byte)random.Next(256), .. m[at..]];
        }
    }
}
