"""he-samplers.json, he-ntt.json, he-encrypt.json, he-multiparty.json (he.md 1-7)."""
import hashlib
import struct

from .common import drs, load
from .he_ring import (Ntt, cbd, delta_round, expand, header, mod_switch, pack, parameter_id, primes_for, smallest_psi,
                      ternary, uniform)


def check_samplers(res):
    f = "he-samplers.json"
    v = load(f)
    seed = bytes.fromhex(v["seed_hex"])
    rng = drs(seed)
    res.check(f, "ternary", ternary(rng, 32) == v["ternary"])
    res.check(f, "CBD(21), 6 bytes per value, after the ternary values", cbd(rng, 32) == v["cbd21"])
    primes = [int(p) for p in v["expansion_primes"]]
    res.check(f, "seed expansion", [str(x) for row in expand(seed, primes, 16) for x in row] == v["expansion_ntt_residues"])
    rng = drs(seed)
    u = uniform(rng, 600, 65537)
    res.check(f, "uniform mod 65537 across a batch, no word discarded",
              [str(x) for x in u[:16]] == v["uniform_65537_first_16"]
              and hashlib.sha256(struct.pack("<600Q", *u)).hexdigest() == v["uniform_65537_sha256_le64"]
              and rng.read(8).hex() == v["next_8_bytes_after_hex"])


def check_ntt(res):
    f = "he-ntt.json"
    v = load(f)
    for ch in v["chains"]:
        primes = primes_for(ch["degree"], ch["prime_bits"])
        res.check(f, "N=%d %s: primes, smallest psi, parameter id (t = 2^32)" % (ch["degree"], ch["prime_bits"]),
                  [str(p) for p in primes] == ch["primes"]
                  and [str(smallest_psi(p, ch["degree"])) for p in primes] == ch["psi"]
                  and parameter_id(ch["degree"], primes, 32).hex() == ch["parameter_id_hex_t32"])
    t = v["ntt"]
    p, n = int(t["prime"]), t["degree"]
    ntt = Ntt(p, n)
    a = [int(x) for x in t["input"]]
    res.check(f, "psi and forward negacyclic NTT (bit-reversed order)",
              str(ntt.psi) == t["psi"] and [str(x) for x in ntt.forward(a)] == t["forward"] and ntt.inverse(ntt.forward(a)) == a)


def poly_ntt(ntts, coeffs):
    return [nt.forward([c % nt.p for c in coeffs]) for nt in ntts]


def check_encrypt(res):
    f = "he-encrypt.json"
    v = load(f)
    n, bits = v["degree"], v["plaintext_bits"]
    primes = [int(p) for p in v["primes"]]
    ntts = [Ntt(p, n) for p in primes]
    pid = parameter_id(n, primes, bits)
    res.check(f, "parameter id", pid.hex() == v["parameter_id_hex"])
    seed = bytes.fromhex(v["seed_hex"])
    rng = drs(seed)
    s = poly_ntt(ntts, ternary(rng, n))
    pk_seed = rng.read(32)
    res.check(f, "public key seed (drawn after the secret key)", pk_seed.hex() == v["public_key_seed_hex"])
    a = expand(pk_seed, primes, n)
    e = poly_ntt(ntts, cbd(rng, n))
    b = [[(-ai * si + ei) % p for ai, si, ei in zip(a[i], s[i], e[i])] for i, p in enumerate(primes)]
    m = [int(x) for x in v["message"]]
    q, t = 1, 1 << bits
    for p in primes:
        q *= p
    dm = [delta_round(x, q, t) for x in m]
    u = poly_ntt(ntts, ternary(rng, n))
    e0, e1 = cbd(rng, n), cbd(rng, n)
    c0, c1 = [], []
    for i, (p, nt) in enumerate(zip(primes, ntts)):
        bu = nt.inverse([x * y % p for x, y in zip(b[i], u[i])])
        au = nt.inverse([x * y % p for x, y in zip(a[i], u[i])])
        c0.append([(x + y + z) % p for x, y, z in zip(bu, e0, dm)])
        c1.append([(x + y) % p for x, y in zip(au, e1)])
    ct = header(1, n, 3, pid, 1, 1) + pack(c0, primes) + pack(c1, primes)
    res.check(f, "public-key ciphertext", ct.hex() == v["ciphertext_pk_hex"])
    low = header(1, n, 2, pid, 1, 1) + pack(mod_switch(c0, primes), primes[:2]) + pack(mod_switch(c1, primes), primes[:2])
    res.check(f, "modulus-switched to 2 primes", low.hex() == v["ciphertext_pk_switched_to_2_primes_hex"])
    sym_seed = rng.read(32)
    a2 = expand(sym_seed, primes, n)
    es = cbd(rng, n)
    sc0 = []
    for i, (p, nt) in enumerate(zip(primes, ntts)):
        as_ = nt.inverse([x * y % p for x, y in zip(a2[i], s[i])])
        sc0.append([(-x + y + z) % p for x, y, z in zip(as_, es, dm)])
    sym = header(2, n, 3, pid, 1, 1) + pack(sc0, primes) + sym_seed
    res.check(f, "seeded symmetric ciphertext", sym.hex() == v["ciphertext_symmetric_seeded_hex"])


def check_multiparty(res):
    f = "he-multiparty.json"
    v = load(f)
    primes = [int(p) for p in v["primes"]]
    level = v["upload_level"]
    for j, key in ((1, "lagrange_1_of_1_3"), (3, "lagrange_3_of_1_3")):
        lam = []
        for p in primes[:level]:
            num, den = 1, 1
            for m_ in (1, 3):
                if m_ != j:
                    num, den = num * m_ % p, den * (m_ - j) % p
            lam.append(str(num * pow(den, p - 2, p) % p))
        res.check(f, "Lagrange coefficient at 0 of %d in {1, 3} per upload prime" % j, lam == v[key])
    inputs = v["client_inputs"]
    total = [sum(int(inputs[c][i]) for c in inputs) % (1 << 32) for i in range(v["vector_length"])]
    res.check(f, "decrypted sum = sum of the stated inputs", [str(x) for x in total] == v["decrypted_sum"] and v["decrypted_padding_is_zero"])
    rng = drs(bytes.fromhex(v["seed_hex"]))
    res.check(f, "CRP seed = first 32 bytes", rng.read(32).hex() == v["crp_seed_hex"])


def check(res):
    check_samplers(res)
    check_ntt(res)
    check_encrypt(res)
    check_multiparty(res)
    check_multiparty_uploads(res)


def check_multiparty_uploads(res):
    """he.md 6.2, 4, 7, 6.4: after the keys, each party's Shamir coefficients (T - 1 = 1 polynomial, uniform mod each
    upload prime, prime by prime), then each client's upload: u, e0, e1 at the key level, Delta m with q of the key
    level, one modulus switch to the upload level; the commitment over the serialized upload."""
    from .common import be32, be64, sha256
    f = "he-multiparty.json"
    v = load(f)
    n, level = v["degree"], v["upload_level"]
    primes = [int(p) for p in v["primes"]]
    ntts = [Ntt(p, n) for p in primes]
    rng = drs(bytes.fromhex(v["seed_hex"]))
    a = expand(rng.read(32), primes, n)
    s = [poly_ntt(ntts, ternary(rng, n)) for _ in range(3)]
    e = [poly_ntt(ntts, cbd(rng, n)) for _ in range(3)]
    b = [[sum(-a[i][k] * s[j][i][k] + e[j][i][k] for j in range(3)) % p for k in range(n)] for i, p in enumerate(primes)]
    digest = hashlib.sha256(b"".join(struct.pack("<%dQ" % n, *row) for row in b)).hexdigest()
    res.check(f, "collective public key digest (LE64, NTT form, prime-major, key level)", digest == v["public_key_b_sha256_hex"])
    for _ in range(3):
        for p in primes[:level]:
            uniform(rng, n, p)
    q = 1
    for p in primes:
        q *= p
    pid = parameter_id(n, primes, 32)
    for com in v["commitments"]:
        c = com["client"]
        m = [int(x) for x in v["client_inputs"][str(c)]] + [0] * (n - v["vector_length"])
        u = poly_ntt(ntts, ternary(rng, n))
        e0, e1 = cbd(rng, n), cbd(rng, n)
        c0, c1 = [], []
        for i, (p, nt) in enumerate(zip(primes, ntts)):
            bu = nt.inverse([x * y % p for x, y in zip(b[i], u[i])])
            au = nt.inverse([x * y % p for x, y in zip(a[i], u[i])])
            c0.append([(x + y + delta_round(z, q, 1 << 32)) % p for x, y, z in zip(bu, e0, m)])
            c1.append([(x + y) % p for x, y in zip(au, e1)])
        head = header(1, n, level, pid, 1, 1)
        body, mask = pack(mod_switch(c0, primes), primes[:level]), pack(mod_switch(c1, primes), primes[:level])
        upload = head + body + mask
        commitment = sha256(b"SecureFed/he/upload-commitment/v1", be64(v["round"]), be32(c), sha256(body), sha256(head + mask))
        res.check(f, "client %d: upload byte for byte and its commitment" % c,
                  hashlib.sha256(upload).hexdigest() == com["upload_sha256_hex"] and commitment.hex() == com["commitment_hex"])
