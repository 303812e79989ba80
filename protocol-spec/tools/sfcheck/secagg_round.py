"""secagg-round.json: the whole masking round rebuilt from secagg.md (sections 2-8 and 11's draw order)."""
import struct

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from .common import (be32, drs, ed25519_public, ed25519_sign, hkdf, hmac_sha256, load, mp, sha256, x25519,
                     x25519_public, aes_ctr_keystream)
from .secagg_directory import leaf_hash, session_id, tree_hash
from .secagg_math import P61, shamir_split

L = b"SecureFed/secagg/v1/"


def prg_words(seed, j, n, bits):
    wb = 4 if bits <= 32 else 8
    ks = aes_ctr_keystream(seed, j, n * wb)
    words = struct.unpack("<" + ("I" if wb == 4 else "Q") * n, ks)
    return [w & ((1 << bits) - 1) for w in words]


def roster_bitmap(roster, ids):
    """A set of enrolled clients (U1 in S0, U3 in S2): bit i for the i-th id of the ascending roster, in byte i // 8 at
    i % 8 (least significant first), ceil(roster / 8) bytes (secagg.md 2.3)."""
    out = bytearray((len(roster) + 7) // 8)
    for i in ids:
        r = roster.index(i)
        out[r // 8] |= 1 << (r % 8)
    return bytes(out)


def envelope(seed, x, sender, stage, body):
    sig = ed25519_sign(seed, L + b"client-message" + x + be32(sender) + bytes([stage]) + sha256(body))
    return [1, sender, stage, body, sig]


def check(res):
    f = "secagg-round.json"
    v = load(f)
    n, length, bits, t = 5, 6, 32, 3
    rng = drs(2017)
    # secagg.md 11: identity seeds of clients 1..n, then the round id.
    id_seeds = {i: rng.read(32) for i in range(1, n + 1)}
    round_id = rng.read(16)
    res.check(f, "round id", round_id.hex() == v["round_id"])
    res.check(f, "identity keys", [ed25519_public(id_seeds[i]).hex() for i in range(1, n + 1)] == v["identity_public_keys"])
    config = mp([1, round_id, [[length, bits]], t, 0, [[i, ed25519_public(id_seeds[i])] for i in range(1, n + 1)], 0])
    res.check(f, "configuration encoding", sha256(config).hex() == v["configuration_sha256"])
    C = sha256(L + b"config" + config)
    res.check(f, "configuration hash", C.hex() == v["configuration_hash"])
    inputs = {i: [1000 * i + k for k in range(length)] for i in range(1, n + 1)}
    mask_sk, enc_sk = {}, {}
    for i in range(1, n + 1):  # R0 draws, client by client: mask key, then encryption key
        mask_sk[i], enc_sk[i] = rng.read(32), rng.read(32)
    log = []

    def send(direction, client, stage, data):
        log.append({"direction": direction, "client": client, "stage": stage, "bytes": len(data), "sha256": sha256(data).hex()})

    r0 = {}
    for i in range(1, n + 1):
        r0[i] = envelope(id_seeds[i], C, i, 0, mp([1, x25519_public(mask_sk[i]), x25519_public(enc_sk[i])]))
        send("client->server", i, "R0", mp(r0[i]))
    u1 = list(range(1, n + 1))
    # The tree over every accepted advertisement (secagg.md 3); with the complete graph each directory holds every
    # entry, so every proof is empty. U1 is a bitmap over the roster, bit i for the i-th id (least significant first).
    root = tree_hash([leaf_hash(i, r0[i][3], r0[i][4]) for i in u1])
    roster = list(range(1, n + 1))
    bitmap = roster_bitmap(roster, u1)
    for i in u1:
        send("server->client", i, "S0", mp([0, [1, bitmap, root, [r0[j] for j in u1], b""]]))
    sid = session_id(C, len(u1), root)
    mpk = {i: x25519_public(mask_sk[i]) for i in u1}
    epk = {i: x25519_public(enc_sk[i]) for i in u1}
    nb = {i: [j for j in u1 if j != i] for i in u1}  # complete graph (kind 0)
    # R1: each client, in ascending id, draws b_u, then the Shamir coefficients for b_u, then for s_u^SK.
    b, shares_b, shares_s, r1 = {}, {}, {}, {}
    for i in u1:
        b[i] = rng.read(32)
        holders = sorted(nb[i] + [i])
        shares_b[i] = dict(zip(holders, shamir_split(b[i], t, holders, rng)))
        shares_s[i] = dict(zip(holders, shamir_split(mask_sk[i], t, holders, rng)))
        bundles = []
        for j in nb[i]:
            key = hkdf(x25519(enc_sk[i], epk[j]), sid, L + b"share-key" + be32(i) + be32(j))
            pt = be32(i) + be32(j) + shares_b[i][j] + shares_s[i][j]
            ct = ChaCha20Poly1305(key).encrypt(bytes(12), pt, L + b"share-bundle" + sid + be32(i) + be32(j))
            bundles.append([j, ct])
        r1[i] = envelope(id_seeds[i], sid, i, 1, mp([1, bundles]))
        send("client->server", i, "R1", mp(r1[i]))
    u2 = u1
    deliveries = {}
    for j in u2:
        got = [[i, bb[1]] for i in u2 for bb in mp_body_shares(r1[i]) if bb[0] == j]
        deliveries[j] = [i for i, _ in got]
        send("server->client", j, "S1", mp([1, [1, got]]))
    # R2: client 2 has dropped.
    u3 = [i for i in u2 if i != 2]
    pair = {}
    for i in u2:
        for j in deliveries[i]:
            pair[(i, j)] = hkdf(x25519(mask_sk[i], mpk[j]), sid, L + b"pairwise-mask" + be32(min(i, j)) + be32(max(i, j)))
    r2 = {}
    mod = 1 << bits
    for i in u3:
        y = [(a + m) % mod for a, m in zip(inputs[i], prg_words(b[i], 0, length, bits))]
        for j in deliveries[i]:
            w = prg_words(pair[(i, j)], 0, length, bits)
            y = [(a + (m if i < j else -m)) % mod for a, m in zip(y, w)]
        r2[i] = envelope(id_seeds[i], sid, i, 2, mp([1, [b"".join(struct.pack("<I", x) for x in y)]]))
        send("client->server", i, "R2", mp(r2[i]))
    for i in u3:
        send("server->client", i, "S2", mp([2, [1, roster_bitmap(roster, u3)]]))
    ssh = sha256(L + b"survivors" + sid + b"".join(be32(i) for i in u3))
    tags = {}
    for i in u3:
        peers = [j for j in nb[i] if j in u3]
        for j in peers:
            ck = hkdf(x25519(enc_sk[i], epk[j]), sid, L + b"consistency-key" + be32(min(i, j)) + be32(max(i, j)))
            tags[(i, j)] = hmac_sha256(ck, L + b"consistency-tag" + sid + be32(i) + be32(j) + ssh)
        env = envelope(id_seeds[i], sid, i, 3, mp([1, ssh, peers, b"".join(tags[(i, j)] for j in peers)]))
        send("client->server", i, "R3", mp(env))
    u4 = u3
    dropped = [i for i in u2 if i not in u3]
    for r in u4:
        senders = [j for j in nb[r] if j in u4]
        send("server->client", r, "S3", mp([3, [1, senders, b"".join(tags[(j, r)] for j in senders)]]))
    # R4: client 4 has dropped. A client decides from the survivor set it signed (u3) and its share delivery's senders
    # (D_u): b_o shares for o in U3, s_o^SK shares and pair seeds for o in D_u \ U3 (secagg.md 8).
    for i in [i for i in u4 if i != 4]:
        owners = sorted(deliveries[i] + [i])
        shares = [[o, 0, shares_b[o][i]] if o in u3 else [o, 1, shares_s[o][i]] for o in owners]
        seeds = [[j, pair[(i, j)]] for j in sorted(deliveries[i]) if j not in u3]
        send("client->server", i, "R4", mp(envelope(id_seeds[i], sid, i, 4, mp([1, shares, seeds]))))
    res.check(f, "every message's length and SHA-256, in wire order (%d messages)" % len(log), log == v["messages"])
    total = [sum(inputs[i][k] for i in u3) % mod for k in range(length)]
    res.check(f, "survivors, dropped and sum", v["survivors"] == u3 and v["dropped_before_r2"] == dropped and v["sum"] == total)


def mp_body_shares(env):
    from .common import mp_decode
    return mp_decode(env[3])[1]
