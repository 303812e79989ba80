"""Shared pieces of the independent vector checker: results, file loading, the spec's encodings and primitives.

Everything here follows protocol-spec/*.md; nothing is taken from SecureFed's code.
"""
import hashlib
import hmac
import json
import os
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test-vectors")


class Results:
    """Counts checks per vector file; a file is covered when at least one of its checks ran."""

    def __init__(self):
        self.ok = True
        self.covered = set()

    def check(self, file, name, cond):
        print(("ok   " if cond else "FAIL ") + file + ": " + name)
        self.ok &= bool(cond)
        self.covered.add(file)


def load(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def be32(x):
    return struct.pack(">I", x)


def be64(x):
    return struct.pack(">Q", x)


def le64(x):
    return struct.pack("<Q", x & 0xFFFFFFFFFFFFFFFF)


def hkdf(ikm, salt, info, length=32):
    return HKDF(hashes.SHA256(), length, salt, info).derive(ikm)


def hmac_sha256(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


def x25519_public(sk):
    return X25519PrivateKey.from_private_bytes(sk).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def x25519(sk, pk):
    return X25519PrivateKey.from_private_bytes(sk).exchange(X25519PublicKey.from_public_bytes(pk))


def ed25519_public(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ed25519_sign(seed, msg):
    return Ed25519PrivateKey.from_private_bytes(seed).sign(msg)


def aes_ctr_keystream(key, nonce, nbytes, first_block=0):
    """secagg.md 7: block i = AES-256_key(BE64(nonce) || BE64(i)), i from first_block."""
    enc = Cipher(algorithms.AES(key), modes.CTR(be64(nonce) + be64(first_block))).encryptor()
    return enc.update(bytes(nbytes))


class KeystreamReader:
    """Reads an AES-256-CTR keystream (secagg.md 7 layout) in order, as a byte stream."""

    def __init__(self, key, nonce=0):
        self._enc = Cipher(algorithms.AES(key), modes.CTR(be64(nonce) + be64(0))).encryptor()

    def read(self, n):
        return self._enc.update(bytes(n))

    def u64(self):
        return struct.unpack("<Q", self.read(8))[0]

    def next_below(self, bound):
        """secagg.md 11 NextBelow: reject words above the last whole multiple of bound, then reduce."""
        m = (1 << 64) - 1
        limit = m - ((m % bound) + 1) % bound
        while True:
            x = self.u64()
            if x <= limit:
                return x % bound


def drs(seed):
    """DeterministicRandomSource (secagg.md 11): an int seed is LE64 (two's complement), bytes are used as given."""
    seed_bytes = le64(seed) if isinstance(seed, int) else bytes(seed)
    return KeystreamReader(sha256(b"SecureFed/deterministic-rng/v1", seed_bytes), 0)


def drs_derive(seed, purpose, index=0):
    """DeterministicRandomSource.Derive (secagg.md 11): seed bytes UTF-8(purpose) || 0x00 || LE64(seed) || LE64(index)."""
    return drs(purpose.encode("utf-8") + b"\x00" + le64(seed) + le64(index))


# --- MessagePack in the spec's canonical form (secagg.md 2): records as arrays, shortest integers, bin for bytes ---

def mp(v):
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        if v >= 0:
            for lim, code, fmt in ((1 << 8, 0xCC, ">B"), (1 << 16, 0xCD, ">H"), (1 << 32, 0xCE, ">I"), (1 << 64, 0xCF, ">Q")):
                if v < lim:
                    return bytes([code]) + struct.pack(fmt, v)
        for lim, code, fmt in ((1 << 7, 0xD0, ">b"), (1 << 15, 0xD1, ">h"), (1 << 31, 0xD2, ">i"), (1 << 63, 0xD3, ">q")):
            if -lim <= v:
                return bytes([code]) + struct.pack(fmt, v)
    if isinstance(v, float):
        return b"\xcb" + struct.pack(">d", v)
    if isinstance(v, (bytes, bytearray)):
        n = len(v)
        head = bytes([0xC4, n]) if n < 256 else (b"\xc5" + struct.pack(">H", n) if n < 65536 else b"\xc6" + struct.pack(">I", n))
        return head + bytes(v)
    if isinstance(v, str):
        b = v.encode("utf-8")
        n = len(b)
        head = bytes([0xA0 | n]) if n < 32 else (bytes([0xD9, n]) if n < 256 else (b"\xda" + struct.pack(">H", n) if n < 65536 else b"\xdb" + struct.pack(">I", n)))
        return head + b
    if isinstance(v, (list, tuple)):
        n = len(v)
        head = bytes([0x90 | n]) if n < 16 else (b"\xdc" + struct.pack(">H", n) if n < 65536 else b"\xdd" + struct.pack(">I", n))
        return head + b"".join(mp(x) for x in v)
    raise TypeError(type(v))


def mp_decode(data):
    """Decodes exactly one MessagePack value (no trailing bytes); bin -> bytes, str -> str, arrays -> lists."""
    value, end = _mp_read(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes")
    return value


def _mp_read(d, i):
    b = d[i]
    if b < 0x80:
        return b, i + 1
    if b >= 0xE0:
        return b - 256, i + 1
    if 0x90 <= b <= 0x9F:
        return _mp_array(d, i + 1, b & 0x0F)
    if 0xA0 <= b <= 0xBF:
        n = b & 0x1F
        return d[i + 1:i + 1 + n].decode("utf-8"), i + 1 + n
    fixed = {0xC0: None, 0xC2: False, 0xC3: True}
    if b in fixed:
        return fixed[b], i + 1
    sizes = {0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q", 0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q", 0xCB: ">d"}
    if b in sizes:
        fmt = sizes[b]
        n = struct.calcsize(fmt)
        return struct.unpack(fmt, d[i + 1:i + 1 + n])[0], i + 1 + n
    lens = {0xC4: ">B", 0xC5: ">H", 0xC6: ">I", 0xD9: ">B", 0xDA: ">H", 0xDB: ">I"}
    if b in lens:
        fmt = lens[b]
        k = struct.calcsize(fmt)
        n = struct.unpack(fmt, d[i + 1:i + 1 + k])[0]
        raw = bytes(d[i + 1 + k:i + 1 + k + n])
        return (raw if b <= 0xC6 else raw.decode("utf-8")), i + 1 + k + n
    if b in (0xDC, 0xDD):
        fmt = ">H" if b == 0xDC else ">I"
        k = struct.calcsize(fmt)
        return _mp_array(d, i + 1 + k, struct.unpack(fmt, d[i + 1:i + 1 + k])[0])
    raise ValueError("unsupported MessagePack byte 0x%02x" % b)


def _mp_array(d, i, n):
    out = []
    for _ in range(n):
        v, i = _mp_read(d, i)
        out.append(v)
    return out, i
