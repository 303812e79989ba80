"""he-seal.json (he.md 11): Microsoft SEAL 4.1 serialization of parameters, keys and ciphertexts, from the prose."""
import hashlib
import struct

from .common import drs, load
from .he_ring import Ntt, cbd, delta_round, expand, mod_switch, primes_for, ternary


def seal_header(size, mode=0):
    """SEALHeader: u16 0xA15E, u8 16, u8 4, u8 1, u8 compression, u16 0, u64 total size."""
    return struct.pack("<HBBBBHQ", 0xA15E, 16, 4, 1, mode, 0, size)


def seal_object(members):
    return seal_header(16 + len(members)) + members


def modulus(value):
    return seal_object(struct.pack("<Q", value))


def dynarray(words):
    return seal_object(struct.pack("<Q", len(words)) + b"".join(struct.pack("<Q", w) for w in words))


def parms(degree, primes, t):
    members = struct.pack("<BQQ", 1, degree, len(primes)) + b"".join(modulus(p) for p in primes) + modulus(t)
    return seal_object(members)


def parms_id(degree, primes, t):
    """BLAKE2b-256 over the u64 words [scheme = 1, N, p_0 .. p_(k-1), t] (little-endian)."""
    words = struct.pack("<%dQ" % (3 + len(primes)), 1, degree, *primes, t)
    return hashlib.blake2b(words, digest_size=32).digest()


def polys(pid, ntt_form, degree, level, first, second):
    """Ciphertext / PublicKey members: parms_id, u8 NTT form, u64 size 2, u64 N, u64 k, f64 1.0, u64 1, DynArray."""
    words = [x for row in first for x in row] + [x for row in second for x in row]
    members = pid + struct.pack("<BQQQdQ", 1 if ntt_form else 0, 2, degree, level, 1.0, 1) + dynarray(words)
    return seal_object(members)


def check(res):
    f = "he-seal.json"
    v = load(f)
    r = v["real_4096"]
    primes = [int(p) for p in r["primes"]]
    t = int(r["plain_modulus"])
    res.check(f, "N = 4096: BFVDefault primes by the prime rule", primes == primes_for(4096, [36, 36, 37]))
    res.check(f, "N = 4096: EncryptionParameters bytes", parms(r["degree"], primes, t).hex() == r["parms_hex"])
    res.check(f, "N = 4096: parms_id of every level (BLAKE2b-256)",
              [parms_id(r["degree"], primes[:k], t).hex() for k in range(1, 4)] == r["parms_id_hex_by_level"])

    # The toy objects: the same draws as he-encrypt.json (he.md 4, 10.6 style order: s, public key seed and error, u, e0, e1).
    toy = v["toy"]
    n, bits = toy["degree"], toy["plaintext_bits"]
    primes = [int(p) for p in toy["primes"]]
    t = 1 << bits
    ntts = [Ntt(p, n) for p in primes]
    res.check(f, "toy: EncryptionParameters bytes", parms(n, primes, t).hex() == toy["parms_hex"])
    rng = drs(bytes.fromhex(toy["seed_hex"]))
    s = [nt.forward([x % p for x in sec]) for nt, p, sec in zip(ntts, primes, [ternary(rng, n)] * len(primes))]
    a = expand(rng.read(32), primes, n)
    e = cbd(rng, n)
    e_ntt = [nt.forward([x % p for x in e]) for nt, p in zip(ntts, primes)]
    b = [[(-ai * si + ei) % p for ai, si, ei in zip(a[i], s[i], e_ntt[i])] for i, p in enumerate(primes)]
    key_id = parms_id(n, primes, t)
    res.check(f, "toy: PublicKey (b, a), key level, NTT form",
              polys(key_id, True, n, 3, b, a).hex() == toy["public_key_hex"])
    sk = seal_object(key_id + struct.pack("<Qd", 3 * n, 1.0) + dynarray([x for row in s for x in row]))
    res.check(f, "toy: SecretKey (a Plaintext: parms_id, coeff count, scale 1.0, s in NTT form)", sk.hex() == toy["secret_key_hex"])
    m = [int(x) for x in toy["message"]]
    q = primes[0] * primes[1] * primes[2]
    dm = [delta_round(x, q, t) for x in m]
    u = [nt.forward([x % p for x in uu]) for nt, p, uu in zip(ntts, primes, [ternary(rng, n)] * len(primes))]
    e0, e1 = cbd(rng, n), cbd(rng, n)
    c0, c1 = [], []
    for i, (p, nt) in enumerate(zip(primes, ntts)):
        bu = nt.inverse([x * y % p for x, y in zip(b[i], u[i])])
        au = nt.inverse([x * y % p for x, y in zip(a[i], u[i])])
        c0.append([(x + y + z) % p for x, y, z in zip(bu, e0, dm)])
        c1.append([(x + y) % p for x, y in zip(au, e1)])
    low = polys(parms_id(n, primes[:2], t), False, n, 2, mod_switch(c0, primes), mod_switch(c1, primes))
    res.check(f, "toy: Ciphertext at 2 primes (coefficient form, that level's parms_id)", low.hex() == toy["ciphertext_level2_hex"])
