"""transcript-*.json: the file format, hash chain and signatures of transcript.md 1-2 and 8."""
import math
import struct

from .common import be64, ed25519_public, ed25519_sign, load, mp, mp_decode, sha256

KINDS = {"Header": 0, "ClientToServer": 1, "ServerToClient": 2, "Result": 3, "End": 4, "StageClosed": 5}


def record_body(seq, kind, party, elapsed, prev, payload):
    return mp([1, seq, kind, party, elapsed, prev, payload])


def record_hash(body):
    return sha256(b"SecureFed/transcript/v1/record" + body)


def record_signature(seed, h):
    return ed25519_sign(seed, b"SecureFed/transcript/v1/aggregator-signature" + h)


def check_format(res):
    f = "transcript-format.json"
    v = load(f)
    seed = bytes.fromhex(v["aggregatorSeed"])
    pk = ed25519_public(seed)
    res.check(f, "aggregator key", pk.hex() == v["aggregatorPublicKey"])
    header = mp([1, "masking", pk, bytes.fromhex(v["configuration"]), None, v["createdUtc"]])
    result = bytes.fromhex(v["result"])
    r = mp_decode(result)
    res.check(f, "result record decodes (completed, NaN claimed epsilon)",
              r[0] is True and r[4] == 0 and r[5] == "" and math.isnan(r[6]) and result[-9:].hex() == "cbfff8000000000000")
    msgs = v["messages"]
    last = max([m["elapsedMicroseconds"] for m in msgs], default=0)
    # transcript.md 1.1: Header 0, messages their own time, Result and End the largest message time.
    plan = [(0, 0, 0, header)] + [(KINDS[m["kind"]], m["party"], m["elapsedMicroseconds"], bytes.fromhex(m["bytes"])) for m in msgs]
    plan += [(3, 0, last, result), (4, 0, last, be64(len(msgs) + 2))]
    prev, out, records = bytes(32), b"SFTRNS01", []
    for seq, (kind, party, elapsed, payload) in enumerate(plan):
        body = record_body(seq, kind, party, elapsed, prev, payload)
        h = record_hash(body)
        sig = record_signature(seed, h)
        records.append({"offset": len(out), "body": body.hex(), "hash": h.hex(), "signature": sig.hex()})
        out += struct.pack(">I", len(body)) + body + sig
        prev = h
    want = [{k: x[k] for k in ("offset", "body", "hash", "signature")} for x in v["records"]]
    res.check(f, "every record's body, hash and signature", records == want)
    res.check(f, "whole file", out.hex() == v["file"] and sha256(out).hex() == v["fileSha256"])


def check_he(res):
    f = "transcript-he-small.json"
    v = load(f)
    seed = bytes.fromhex(v["aggregatorSeed"])
    pk = ed25519_public(seed)
    res.check(f, "aggregator key", pk.hex() == v["aggregatorPublicKey"])
    config = bytes.fromhex(v["configuration"])
    res.check(f, "configuration hash H (he.md 10.1)", sha256(b"SecureFed/he-round/v1/config" + config).hex() == v["configurationHash"])
    header = mp([1, "he", pk, config, None, v["createdUtc"]])
    recs = v["records"]
    m = len(recs) - 3
    result = bytes.fromhex(v["result"])
    r = mp_decode(result)
    res.check(f, "result record (transcript.md 8.1)", r[0] is True and r[1] == 0 and r[2] == ""
              and list(struct.unpack("<%dQ" % (len(r[3]) // 8), r[3])) == v["sum"] and r[4] == v["contributors"] and r[5] == v["attempts"])
    prev, offset, ok_inline, ok_sig, ok_frame, inline = bytes(32), 8, True, True, True, 0  # noqa: E501
    for seq, rec in enumerate(recs):
        kind = KINDS[rec["kind"]]
        # transcript.md 1.1: Header 0; message records numbered 1..m in this vector; Result and End the largest (m).
        elapsed = 0 if kind == 0 else (seq if seq <= m else m)
        payload = {0: header, 3: result, 4: be64(len(recs) - 1), 5: b""}.get(kind)
        if payload is not None or "body" in rec:
            if payload is None:
                body_given = mp_decode(bytes.fromhex(rec["body"]))
                payload = body_given[6]
            body = record_body(seq, kind, rec["party"], elapsed, prev, payload)
            ok_inline &= "body" not in rec or body.hex() == rec["body"]
            ok_inline &= record_hash(body).hex() == rec["hash"] and len(body) == rec["bodyLength"]
            inline += 1
        ok_sig &= record_signature(seed, bytes.fromhex(rec["hash"])).hex() == rec["signature"]
        ok_frame &= rec["offset"] == offset
        offset += 4 + rec["bodyLength"] + 64
        prev = bytes.fromhex(rec["hash"])
    res.check(f, "%d records rebuilt byte for byte (bodies up to 600 bytes, chained on the given hashes)" % inline, ok_inline)
    res.check(f, "every record's aggregator signature", ok_sig)
    res.check(f, "framing: offsets follow the body lengths, file length", ok_frame and offset == v["fileLength"])
    res.check(f, "record kinds in the order of transcript.md 1.3", recs[0]["kind"] == "Header" and recs[-2]["kind"] == "Result"
              and recs[-1]["kind"] == "End" and all(x["kind"] in ("ClientToServer", "ServerToClient", "StageClosed") for x in recs[1:-2]))


def check_he_rebuilt(res):
    """transcript.md 8.1-8.2: the records of a simulated HE round, every payload rebuilt by he_round.simulate."""
    from .he_round import simulate
    f = "transcript-he-small.json"
    v = load(f)
    config = bytes.fromhex(v["configuration"])
    length = len(v["sum"])
    events, total, contributors, attempts = simulate(
        config, v["degree"], [int(p) for p in v["primes"]], v["uploadLevel"], v["randomSeed"],
        lambda i: bytes([0x40 + i]) * 32, lambda i: [(37 * i + 11 * k) % 1000 for k in range(length)], {4}, {1})
    seed = bytes.fromhex(v["aggregatorSeed"])
    pk = ed25519_public(seed)
    # transcript.md, HE result record: fields 6 Check (0: unverified, he.md 10.7), 7 ExcludedDecryptors, 8 ClaimedEpsilon (NaN: no DP).
    result = mp([True, 0, "", b"".join(struct.pack("<Q", x) for x in total), contributors, attempts, 0, [],
                 struct.unpack(">d", bytes.fromhex("fff8000000000000"))[0]])  # NaN as .NET writes it (transcript.md)
    res.check(f, "result record from the simulated round", result.hex() == v["result"])
    plan = [(0, 0, mp([1, "he", pk, config, None, v["createdUtc"]]))]
    for e in events:
        if e[0] == "envelope":
            plan.append((1, e[1], e[3]))
        elif e[0] == "close":
            plan.append((5, 0, b""))
        else:
            plan += [(2, r, e[4]) for r in e[3]]
    m = len(plan) - 1
    plan += [(3, 0, result), (4, 0, be64(m + 2))]
    prev, out = bytes(32), b"SFTRNS01"
    for seq, (kind, party, payload) in enumerate(plan):
        body = record_body(seq, kind, party, 0 if kind == 0 else min(seq, m), prev, payload)
        prev = record_hash(body)
        out += struct.pack(">I", len(body)) + body + record_signature(seed, prev)
    res.check(f, "the whole file rebuilt from the simulated round (%d records)" % len(plan),
              len(out) == v["fileLength"] and sha256(out).hex() == v["fileSha256"])


def check(res):
    check_format(res)
    check_he(res)
    check_he_rebuilt(res)
