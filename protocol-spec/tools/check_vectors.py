#!/usr/bin/env python3
"""Independent check of the SecAgg test vectors with Python's `cryptography` package (not SecureFed code).

Usage: python3 protocol-spec/tools/check_vectors.py   (needs: pip install cryptography)
Checks key agreement + HKDF, the consistency key and tag, the mask PRG (first 64 words and the SHA-256 of 1,000,000 words), Shamir shares and
the SecAgg+ graph permutation.
"""
import hashlib, hmac, json, os, struct, sys
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test-vectors")
load = lambda n: json.load(open(os.path.join(here, n)))
ok = True

def check(name, cond):
    global ok
    print(("ok   " if cond else "FAIL ") + name)
    ok &= cond

ka = load("secagg-key-agreement.json")
sk_u = X25519PrivateKey.from_private_bytes(bytes.fromhex(ka["private_key_u"]))
sk_v = X25519PrivateKey.from_private_bytes(bytes.fromhex(ka["private_key_v"]))
raw = lambda k: k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
check("public key u", raw(sk_u) == ka["public_key_u"])
shared = sk_u.exchange(sk_v.public_key())
def hkdf(info):
    return HKDF(hashes.SHA256(), 32, bytes.fromhex(ka["session_id"]), info).derive(shared)
u, v = ka["client_u"], ka["client_v"]
info = b"SecureFed/secagg/v1/pairwise-mask" + struct.pack(">II", min(u, v), max(u, v))
check("pairwise mask info", info.hex() == ka["pairwise_mask_info"])
check("pairwise mask seed", hkdf(info).hex() == ka["pairwise_mask_seed"])
check("share key u->v", hkdf(b"SecureFed/secagg/v1/share-key" + struct.pack(">II", u, v)).hex() == ka["share_key_u_to_v"])
ck = hkdf(b"SecureFed/secagg/v1/consistency-key" + struct.pack(">II", min(u, v), max(u, v)))
check("consistency key", ck.hex() == ka["consistency_key"])
sid = bytes.fromhex(ka["session_id"])
sh = hashlib.sha256(b"SecureFed/secagg/v1/survivors" + sid + b"".join(struct.pack(">I", i) for i in ka["survivors"])).digest()
check("survivor set hash", sh.hex() == ka["survivor_set_hash"])
tag = hmac.new(ck, b"SecureFed/secagg/v1/consistency-tag" + sid + struct.pack(">II", u, v) + sh, hashlib.sha256).digest()
check("consistency tag u->v", tag.hex() == ka["consistency_tag_u_to_v"])

prg = load("secagg-mask-prg.json")
seed = bytes.fromhex(prg["seed"])
for case in prg["cases"]:
    bits, nonce = case["bits"], case["nonce"]
    wb = 4 if bits <= 32 else 8
    n = 1_000_000
    nblocks = (n * wb + 15) // 16
    counters = b"".join(struct.pack(">QQ", nonce, i) for i in range(nblocks))
    ks = Cipher(algorithms.AES(seed), modes.ECB()).encryptor().update(counters)
    fmt = "<" + ("I" if wb == 4 else "Q") * n
    words = [w & ((1 << bits) - 1) for w in struct.unpack(fmt, ks[: n * wb])]
    check(f"mask prg bits={bits} first 64", [str(w) for w in words[:64]] == case["first_64_words"])
    packed = struct.pack(fmt, *words)
    check(f"mask prg bits={bits} sha256", hashlib.sha256(packed).hexdigest() == case["sha256_of_first_1000000_words"])

sh = load("secagg-shamir.json")
p = (1 << 61) - 1
secret = bytes.fromhex(sh["secret"])
chunks = [int.from_bytes(secret[i * 7:i * 7 + (7 if i < 4 else 4)], "little") for i in range(5)]
t = sh["threshold"]
coef = [int(c) for c in sh["coefficients"]]
for h, share in zip(sh["holders"], sh["shares"]):
    vals = []
    for c in range(5):
        poly = [chunks[c]] + coef[c * (t - 1):(c + 1) * (t - 1)]
        vals.append(sum(a * pow(h, j, p) for j, a in enumerate(poly)) % p)
    check(f"shamir share for holder {h}", struct.pack("<5Q", *vals).hex() == share)

gr = load("secagg-graph.json")
g = HKDF(hashes.SHA256(), 32, None, b"SecureFed/secagg/v1/graph-permutation").derive(bytes.fromhex(gr["session_id"]))
enc = Cipher(algorithms.AES(g), modes.ECB()).encryptor()
def words():
    i = 0
    while True:
        block = enc.update(struct.pack(">QQ", 0, i))
        i += 1
        yield from struct.unpack("<QQ", block)
w = words()
ring = sorted(gr["members"])
M = (1 << 64) - 1
for i in range(len(ring) - 1, 0, -1):
    b = i + 1
    limit = M - ((M % b) + 1) % b
    while True:
        x = next(w)
        if x <= limit:
            break
    j = x % b
    ring[i], ring[j] = ring[j], ring[i]
check("graph ring order", ring == gr["ring"])
pos = ring.index(gr["members"][0]); m = len(ring); h = min(gr["degree"] // 2, m // 2)
nb = sorted({ring[(pos + d) % m] for d in range(1, h + 1)} | {ring[(pos - d) % m] for d in range(1, h + 1)})
check("graph neighbours", nb == gr["neighbours_of_first_member"])

sys.exit(0 if ok else 1)
