using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SecureFed.HeProtocol.Configuration;
using SecureFed.HeProtocol.Wire;

namespace SecureFed.HeProtocol.Client;

/// <summary>
/// A device's upload memory, kept from one HE round to the next (passed to <see cref="HeClient"/>.Start each round):
/// the copy of its update and the H2 body, the <c>ClientUpload</c> encoding with the ciphertexts encrypted in place.
/// Without it each round allocates the update's copy, the upload and the body around it, and first-touch page faults
/// on those fresh arrays cost about as much as the encryption (README, issue 17). One round holds it at a time, from
/// <c>Start</c> until that round's client state is terminal or disposed: the upload envelope's body is this memory.
/// </summary>
public sealed class HeUploadBuffer : IDisposable
{
    private readonly ulong[] _values;
    private readonly byte[] _body;
    private HeUploadBufferState _state;

    /// <summary>A buffer for rounds shaped like <paramref name="parameters"/> (same vector length and upload size).</summary>
    public HeUploadBuffer(HeRoundParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        VectorLength = parameters.Configuration.VectorLength;
        UploadSize = parameters.UploadSize;
        _values = new ulong[VectorLength];
        _body = new byte[ClientUploadLayout.BodySize(UploadSize)];
    }

    /// <summary>Values per update.</summary>
    public int VectorLength { get; }

    /// <summary>Bytes of the serialized upload.</summary>
    public long UploadSize { get; }

    /// <summary>True while a round holds the buffer.</summary>
    public bool InUse => _state == HeUploadBufferState.Held;

    internal ulong[] Values => _values;

    internal byte[] Body => _body;

    /// <summary>Wipes the update's copy; the buffer cannot be used afterwards.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_values.AsSpan()));
        _state = HeUploadBufferState.Disposed;
    }

    // Checked before anything is copied, so a refused Start leaves the buffer as it was.
    internal void Acquire(HeRoundParameters parameters)
    {
        ObjectDisposedException.ThrowIf(_state == HeUploadBufferState.Disposed, this);
        if (parameters.Configuration.VectorLength != VectorLength || parameters.UploadSize != UploadSize)
        {
            throw new ArgumentException(
                $"the buffer holds {VectorLength} values and a {UploadSize}-byte upload; this round has {parameters.Configuration.VectorLength} values and a {parameters.UploadSize}-byte upload",
                nameof(parameters));
        }
        if (_state == HeUploadBufferState.Held)
        {
            throw new InvalidOperationException("the upload buffer is still held by a round that has not ended");
        }
        _state = HeUploadBufferState.Held;
    }

    internal void Release()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_values.AsSpan()));
        if (_state == HeUploadBufferState.Held)
        {
            _state = HeUploadBufferState.Free;
        }
    }

    private enum HeUploadBufferState
    {
        Free,
        Held,
        Disposed,
    }
}
