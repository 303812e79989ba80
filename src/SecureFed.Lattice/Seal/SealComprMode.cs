namespace SecureFed.Lattice.Seal;

/// <summary>SEAL 4.1's <c>compr_mode_type</c>: how the members after a <see cref="SealHeader"/> are stored.</summary>
public enum SealComprMode : byte
{
    /// <summary>Stored as is.</summary>
    None = 0,

    /// <summary>A zlib stream (RFC 1950; System.IO.Compression.ZLibStream).</summary>
    Zlib = 1,

    /// <summary>One Zstandard frame (RFC 8878; ZstdSharp.Port).</summary>
    Zstd = 2,
}
