"""secagg-*.json (except the whole round): key agreement, mask PRG, Shamir, graph, finder, quantization, float configuration."""
import hashlib
import math
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .common import be32, be64, drs, ed25519_public, hkdf, hmac_sha256, load, mp, sha256, x25519, x25519_public, KeystreamReader
from .secagg_math import P61, chunks, evaluate

L = b"SecureFed/secagg/v1/"


def check_key_agreement(res):
    f = "secagg-key-agreement.json"
    ka = load(f)
    sk_u, sk_v = bytes.fromhex(ka["private_key_u"]), bytes.fromhex(ka["private_key_v"])
    res.check(f, "public keys", x25519_public(sk_u).hex() == ka["public_key_u"] and x25519_public(sk_v).hex() == ka["public_key_v"])
    shared = x25519(sk_u, x25519_public(sk_v))
    sid = bytes.fromhex(ka["session_id"])
    u, v = ka["client_u"], ka["client_v"]
    info = L + b"pairwise-mask" + be32(min(u, v)) + be32(max(u, v))
    res.check(f, "pairwise mask info", info.hex() == ka["pairwise_mask_info"])
    res.check(f, "pairwise mask seed", hkdf(shared, sid, info).hex() == ka["pairwise_mask_seed"])
    res.check(f, "share key u->v", hkdf(shared, sid, L + b"share-key" + be32(u) + be32(v)).hex() == ka["share_key_u_to_v"])
    ck = hkdf(shared, sid, L + b"consistency-key" + be32(min(u, v)) + be32(max(u, v)))
    res.check(f, "consistency key", ck.hex() == ka["consistency_key"])
    sh = sha256(L + b"survivors" + sid + b"".join(be32(i) for i in ka["survivors"]))
    res.check(f, "survivor set hash", sh.hex() == ka["survivor_set_hash"])
    tag = hmac_sha256(ck, L + b"consistency-tag" + sid + be32(u) + be32(v) + sh)
    res.check(f, "consistency tag u->v", tag.hex() == ka["consistency_tag_u_to_v"])


def check_mask_prg(res):
    f = "secagg-mask-prg.json"
    prg = load(f)
    seed = bytes.fromhex(prg["seed"])
    for case in prg["cases"]:
        bits, nonce = case["bits"], case["nonce"]
        wb = 4 if bits <= 32 else 8
        n = 1_000_000
        ks = Cipher(algorithms.AES(seed), modes.CTR(be64(nonce) + be64(0))).encryptor().update(bytes(n * wb))
        fmt = "<" + ("I" if wb == 4 else "Q") * n
        words = [w & ((1 << bits) - 1) for w in struct.unpack(fmt, ks)]
        res.check(f, "bits=%d first 64 words" % bits, [str(w) for w in words[:64]] == case["first_64_words"])
        res.check(f, "bits=%d SHA-256 of 10^6 words" % bits, hashlib.sha256(struct.pack(fmt, *words)).hexdigest() == case["sha256_of_first_1000000_words"])


def check_shamir(res):
    f = "secagg-shamir.json"
    sh = load(f)
    t = sh["threshold"]
    coef = [int(c) for c in sh["coefficients"]]
    polys = [[c] + coef[i * (t - 1):(i + 1) * (t - 1)] for i, c in enumerate(chunks(bytes.fromhex(sh["secret"])))]
    res.check(f, "shares of holders %s" % sh["holders"], [s.hex() for s in evaluate(polys, sh["holders"])] == sh["shares"])


def ring_order(session_id, members):
    g = hkdf(session_id, None, L + b"graph-permutation")
    rng = KeystreamReader(g, 0)
    ring = sorted(members)
    for i in range(len(ring) - 1, 0, -1):
        j = rng.next_below(i + 1)
        ring[i], ring[j] = ring[j], ring[i]
    return ring


def check_graph(res):
    f = "secagg-graph.json"
    gr = load(f)
    ring = ring_order(bytes.fromhex(gr["session_id"]), gr["members"])
    res.check(f, "ring order", ring == gr["ring"])
    pos, m = ring.index(gr["members"][0]), len(ring)
    h = min(gr["degree"] // 2, m // 2)
    nb = sorted({ring[(pos + d) % m] for d in range(1, h + 1)} | {ring[(pos - d) % m] for d in range(1, h + 1)})
    res.check(f, "neighbours of the first member", nb == gr["neighbours_of_first_member"])


def log2_upper_tail(n, p, x):
    """secagg.md 6.1: log2 Pr[Bin(n, p) >= x], summed in log space."""
    if x <= 0:
        return 0.0
    if x > n or p <= 0:
        return -math.inf
    if p >= 1:
        return 0.0
    lf = [0.0] * (n + 1)
    for i in range(2, n + 1):
        lf[i] = lf[i - 1] + math.log(i)
    lp, lq = math.log(p), math.log(1 - p)
    terms = [lf[n] - lf[i] - lf[n - i] + i * lp + (n - i) * lq for i in range(x, n + 1)]
    mx = max(terms)
    s = 0.0
    for term in terms:
        s += math.exp(term - mx)
    return min(0.0, (mx + math.log(s)) / math.log(2))


def qualifying_thresholds(n, k, g, d, malicious, sigma=40, eta=20):
    """Every strict-majority t of the k + 1 holders meeting both bounds of secagg.md 6.1."""
    holders = k + 1
    out = []
    for t in range(holders // 2 + 1, holders + 1):
        corrupt_needed = 2 * t - holders if malicious else t
        if log2_upper_tail(k, g, corrupt_needed) <= -sigma - math.log2(n) and \
                log2_upper_tail(holders, d, holders - t + 1) <= -eta - math.log2(n):
            out.append(t)
    return out


def finder(n, g, d, malicious, sigma=40, eta=20):
    load_ = g + 2 * d if malicious else g + d
    assert load_ <= 0.9 + 1e-12
    log2_pairs = math.log2(n * (n - 1.0) / 2)
    for k in range(2, n - 1, 2):
        disconnect = -math.inf if load_ <= 0 else log2_pairs + k * math.log2(g + d)
        if disconnect > -sigma:
            continue
        holders = k + 1
        for t in range(holders // 2 + 1, holders + 1):
            if log2_upper_tail(k, g, 2 * t - holders if malicious else t) > -sigma - math.log2(n):
                continue
            if log2_upper_tail(holders, d, holders - t + 1) <= -eta - math.log2(n):
                return "Harary", k, t, qualifying_thresholds(n, k, g, d, malicious, sigma, eta)
            break
    corrupt = math.floor(g * n + 1e-9)
    dropped = math.ceil(d * n - 1e-9)
    lowest = max(n // 2 + 1, (n + corrupt) // 2 + 1 if malicious else corrupt + 1)
    highest = n - dropped
    assert lowest <= highest
    return "Complete", n - 1, lowest, list(range(lowest, highest + 1))


def check_finder(res):
    f = "secagg-finder.json"
    v = load(f)
    for row in v["rows"]:
        graph, k, t, candidates = finder(row["n"], row["gamma"], row["delta"], row["adversary"] == "SemiMalicious")
        name = "n=%d gamma=%g delta=%g %s -> %s k=%d t=%d (%d qualifying t)" % (
            row["n"], row["gamma"], row["delta"], row["adversary"], graph, k, t, len(candidates))
        ok = (graph, k, t) == (row["graph"], row["k"], row["t"]) and t == min(candidates)
        if "configuration_graph_degree" in row:
            ok &= row["configuration_graph_degree"] == (0 if graph == "Complete" else k)
        if "qualifying_thresholds" in row:
            ok &= row["qualifying_thresholds"] == candidates
        res.check(f, name, ok)


def check_quantization(res):
    f = "secagg-quantization.json"
    v = load(f)
    r, bits, n = v["clip_range"], v["bits"], v["clients"]
    R = min(((1 << bits) - 1) // (2 * n), 1 << 52)
    res.check(f, "R", R == v["max_magnitude_R"])
    scale = float(R) / r
    rng = drs(v["rng_seed"])
    out = []
    for x in v["inputs"]:
        val = min(max(x, -r), r) * scale
        fl = math.floor(val)
        u = (rng.u64() >> 11) * 2.0 ** -53  # one word per value, integral or not
        q = min(max(fl + (1 if u < val - fl else 0), -R), R)
        out.append(q & ((1 << bits) - 1))
    res.check(f, "outputs", out == v["outputs"])


def check_float_configuration(res):
    """secagg.md 2.1: keys 7 (FloatEncoding) and 8 (Dp) are optional trailing keys, left out while nil; the hash covers them."""
    f = "secagg-float-configuration.json"
    v = load(f)
    rid = bytes.fromhex(v["round_id"])
    roster = [[i, ed25519_public(bytes([i]) * 32)] for i in range(1, 4)]
    fe = v["float_encoding"]
    float_enc = [1, fe["length"], float(fe["clip_norm"]), fe["clients"], fe["bits"], float(fe["max_weight"]), fe["rounding"]]
    d = list(v["dp_configuration"])
    for i in (3, 4, 10, 11, 13, 14):  # the float64 keys of DpRoundConfiguration (dp.md 8)
        d[i] = float(d[i])
    padded = 1 << (d[2] - 1).bit_length()  # PaddedDimension: the next power of two (dp.md 2)
    cases = {
        "integer": ([[4, 32]], []),
        "float": ([[fe["length"], fe["bits"]], [1, 64]], [float_enc]),  # secagg.md 10a: the update, then the weight mod 2^64
        "dp": ([[padded, d[5]]], [None, d]),  # key 7 nil, key 8 the plan
    }
    for name, (vectors, optional) in cases.items():
        c = v[name]
        config = mp([1, rid, vectors, 2, 0, roster, 0] + optional)
        res.check(f, name + ": vectors derived from the encoding", c["vectors"] == vectors)
        res.check(f, name + ": canonical encoding (%d elements)" % (7 + len(optional)), config.hex() == c["configuration_hex"])
        res.check(f, name + ": configuration hash", sha256(b"SecureFed/secagg/v1/config" + config).hex() == c["configuration_hash"])
    res.check(f, "the encoding changes the hash", len({v[n]["configuration_hash"] for n in cases}) == 3)


def check(res):
    check_float_configuration(res)
    check_key_agreement(res)
    check_mask_prg(res)
    check_shamir(res)
    check_graph(res)
    check_finder(res)
    check_quantization(res)
    check_shamir_from_words(res)
    check_deterministic_random(res)


class _Replay:
    """A random source that returns given 64-bit words (as their 8-byte little-endian encoding)."""

    def __init__(self, words):
        self._words = list(words)

    def next_below(self, bound):
        m = (1 << 64) - 1
        limit = m - ((m % bound) + 1) % bound
        while True:
            x = self._words.pop(0)
            if x <= limit:
                return x % bound


def check_shamir_from_words(res):
    from .secagg_math import shamir_split
    f = "secagg-shamir.json"
    sh = load(f)
    case = sh["from_random_words"]
    shares = shamir_split(bytes.fromhex(sh["secret"]), sh["threshold"], sh["holders"], _Replay(int(w) for w in case["words"]))
    res.check(f, "shares from raw words (rejection of x > 2^64 - 9, whole-word reduction mod p)", [s.hex() for s in shares] == case["shares"])


def check_deterministic_random(res):
    from .common import drs_derive
    f = "secagg-deterministic-random.json"
    v = load(f)
    for case in v["cases"]:
        if "purpose" in case:
            rng = drs_derive(case["seed"], case["purpose"], case["index"])
        elif "seed_hex" in case:
            rng = drs(bytes.fromhex(case["seed_hex"]))
        else:
            rng = drs(case["seed"])
        res.check(f, case["name"], rng.read(len(case["first_bytes_hex"]) // 2).hex() == case["first_bytes_hex"])
    rng = drs(2017)
    bound = int(v["next_below_bound"])
    res.check(f, "NextBelow with rejections", [str(rng.next_below(bound)) for _ in v["next_below"]] == v["next_below"])
