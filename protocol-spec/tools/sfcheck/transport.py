"""transport-request-signing.json: request signatures (transport.md 3) and the records of transport.md 2.1."""
import base64

from .common import ed25519_public, ed25519_sign, load, mp, mp_decode, sha256, be64


def validate_round_configuration(c, round_id):
    """secagg.md 2.1, as a device validates RoundInfo.Configuration."""
    version, rid, vectors, t, graph, roster, degree = c
    n = len(roster)
    ids = [e[0] for e in roster]
    holders = n if graph == 0 else degree + 1
    return (version == 1 and rid == round_id and len(vectors) >= 1
            and all(1 <= length <= 1 << 28 and 1 <= bits <= 64 for length, bits in vectors)
            and ids == sorted(set(ids)) and all(1 <= i <= 2**31 - 1 and len(k) == 32 for i, k in roster)
            and (graph == 0 and degree == 0 or graph == 1 and degree % 2 == 0 and 2 <= degree < n)
            and holders // 2 + 1 <= t <= holders)


def validate_he_configuration(c, round_id):
    """he.md 10.1: 16 fields; decryptors on the roster; 1 <= T <= decryptors."""
    ids = [e[0] for e in c[2]]
    return (len(c) == 16 and c[0] == 1 and c[1] == round_id and ids == sorted(set(ids))
            and all(d in ids for d in c[3]) and 1 <= c[4] <= len(c[3]) and c[5] >= 1 and isinstance(c[15], float))


def check(res):
    f = "transport-request-signing.json"
    v = load(f)
    seed = bytes.fromhex(v["ed25519_seed"])
    key = ed25519_public(seed)
    res.check(f, "public key", key.hex() == v["public_key"])
    nonce, ts = bytes.fromhex(v["nonce"]), v["timestamp_ms"]
    for r in v["requests"]:
        body = bytes.fromhex(r["body"])
        si = (b"SecureFed/transport/v1/request\x00" + r["method"].encode() + b"\x00" + r["path"].encode("ascii") + b"\x00"
              + key + be64(ts) + nonce + sha256(body))
        res.check(f, "%s %s: body hash, signing input, signature" % (r["method"], r["path"]),
                  sha256(body).hex() == r["body_sha256"] and si.hex() == r["signing_input"]
                  and base64.b64encode(ed25519_sign(seed, si)).decode() == r["signature_base64"])
    res.check(f, "EnrolmentRequest [1, token]", mp([1, "7" * 64]).hex() == v["enrolment_request_msgpack"])
    round_id = bytes.fromhex(v["requests"][1]["path"].split("/")[3])
    info = mp_decode(bytes.fromhex(v["round_info_msgpack"]))
    cfg = mp_decode(info[1])
    res.check(f, "RoundInfo (masking): fields, and its configuration decodes, is canonical and validates",
              info[0] == 1 and info[2] == 2 and info[3] == "running" and info[4] == ts + 60_000 and info[5] == "masking"
              and info[6] == 0 and info[7] is None and info[8] is None and mp(cfg) == info[1] and validate_round_configuration(cfg, round_id)
              and [e[1] for e in cfg[5]] == [key, ed25519_public(bytes([2]) * 32), ed25519_public(bytes([3]) * 32)])
    he = mp_decode(bytes.fromhex(v["he_round_info_msgpack"]))
    hcfg = mp_decode(he[1])
    res.check(f, "RoundInfo (he): fields, and its configuration decodes, is canonical and validates",
              he[0] == 1 and he[2] == 3 and he[5] == "he" and he[6] == 3 and he[7] is None and he[8] is None and mp(hcfg) == he[1]
              and validate_he_configuration(hcfg, round_id))
    res.check(f, "HeDelivery [1, close 3, [HeRoundResult union]]",
              mp([1, 3, [mp([5, [1, [42], [7]]])]]).hex() == v["he_delivery_msgpack"])
