"""he-round-small.json: what of the HE round (he.md 10) is checkable without its bulk bytes.

The vector gives large messages only by length and SHA-256. Rebuilt here: the configuration hash, CRP seed, lattice
round, share key info and AAD, the roster keys, every envelope's and server message's length from the message layouts
of he.md 10.3 (which pins the nested-array encoding of H0 envelopes), and the final HeRoundResult byte for byte.
Not rebuilt: the bytes of key advertisements, shares, uploads and decryption shares (the HE round's draw order is
not restated by this checker).
"""
from .common import be32, ed25519_public, hkdf, load, mp, mp_decode, sha256


def bin_len(n):
    return len(mp(bytes(n)))


def check(res):
    f = "he-round-small.json"
    v = load(f)
    config = bytes.fromhex(v["configuration_hex"])
    H = sha256(b"SecureFed/he-round/v1/config" + config)
    res.check(f, "configuration hash H", H.hex() == v["configuration_hash"])
    c = mp_decode(config)
    res.check(f, "configuration: 16 fields, canonical, roster keys from seeds 32 x byte(id)",
              len(c) == 16 and mp(c) == config and [e[1] for e in c[2]] == [ed25519_public(bytes([e[0]]) * 32) for e in c[2]])
    res.check(f, "CRP seed = HKDF(H, salt = round id, info)", hkdf(H, c[1], b"SecureFed/he-round/v1/crp").hex() == v["crp_seed"])
    res.check(f, "lattice round = BE64(H[0..8)) without its top bit", int.from_bytes(H[:8], "big") & ((1 << 63) - 1) == v["lattice_round"])
    res.check(f, "share key info and AAD (1 -> 2)",
              (b"SecureFed/he-round/v1/share-key" + be32(1) + be32(2)).hex() == v["share_key_info_1_to_2"]
              and (b"SecureFed/he-round/v1/share" + H + be32(1) + be32(2)).hex() == v["share_aad_1_to_2"])
    primes = [int(p) for p in v["primes"]]
    n, level = v["degree"], v["upload_level"]
    poly = lambda ps: sum(p.bit_length() for p in ps) * n // 8  # noqa: E731  packed polynomial (he.md 10.1)
    res.check(f, "upload size: 24-byte header, c0 and c1 at the upload level", 24 + 2 * poly(primes[:level]) == v["upload_bytes"])

    def envelope_len(sender, stage, body_len):
        return len(mp([1, sender, stage])) + bin_len(body_len) + bin_len(64)

    decryptors, T = c[3], c[4]
    h0_body = len(mp([1, bytes(32)])) + bin_len(poly(primes))
    share_ct = poly(primes[:level]) + 16
    h1_body = len(mp([1])) + 1 + (len(decryptors) - 1) * (1 + 1 + bin_len(share_ct))
    sizes = {"KeyAdvertisement": (0, h0_body), "KeyShares": (1, h1_body)}
    ok = True
    for e in v["envelopes"]:
        if e == "close" or e["stage"] not in sizes:
            continue
        stage, body = sizes[e["stage"]]
        ok &= e["bytes"] == envelope_len(e["sender"], stage, body)
    res.check(f, "H0 and H1 envelope lengths from the layouts of he.md 10.2-10.3", ok)
    h0 = [e for e in v["envelopes"] if e != "close" and e["stage"] == "KeyAdvertisement"]
    adv = [m for m in v["server_messages"] if m["type"] in ("AdvertisementList", "CollectiveKeyAnnouncement")]
    nested = len(mp([0, [1]])) + len(mp([None] * len(h0))) - len(h0) + sum(e["bytes"] for e in h0)
    res.check(f, "AdvertisementList / CollectiveKeyAnnouncement lengths: H0 envelopes as nested arrays, not bin",
              all(m["bytes"] == nested for m in adv) and len(adv) == 2)
    result = [m for m in v["server_messages"] if m["type"] == "HeRoundResult"][0]
    body = mp([5, [1, v["sum"], v["contributors"]]])
    res.check(f, "HeRoundResult union byte for byte", len(body) == result["bytes"] and sha256(body).hex() == result["sha256"])
    total = [sum((100 * i + j) % 1000 for i in v["contributors"]) % (1 << c[6]) for j in range(c[5])]
    res.check(f, "sum = inputs (100 i + j) mod 1000 of the contributors", total == v["sum"] and T == 2)
