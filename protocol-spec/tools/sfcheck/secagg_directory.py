"""secagg-directory.json and the key directory of the whole round: the Merkle tree over R0 envelopes (secagg.md 3)."""
from .common import be32, load, sha256

L = b"SecureFed/secagg/v1/"


def leaf_hash(sender, body, signature):
    return sha256(b"\x00" + be32(sender) + be32(len(body)) + body + signature)


def split(n):
    """RFC 6962: the largest power of two smaller than n (n >= 2)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def tree_hash(leaves):
    """MTH over a list of leaf hashes."""
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return sha256(b"\x01" + tree_hash(leaves[:k]) + tree_hash(leaves[k:]))


def proof(leaves, indices, lo=0):
    """The hashes of the largest subtrees holding no listed leaf, depth first, left to right."""
    hi = lo + len(leaves)
    inside = [i for i in indices if lo <= i < hi]
    if not inside:
        return [tree_hash(leaves)]
    if len(leaves) == 1:
        return []
    k = split(len(leaves))
    return proof(leaves[:k], indices, lo) + proof(leaves[k:], indices, lo + k)


def root_from_proof(count, known, nodes):
    """The root from the listed leaves (index -> hash) and the proof's nodes; None when the node count is wrong."""
    it = iter(nodes)
    used = [0]

    def walk(lo, hi):
        if not any(lo <= i < hi for i in known):
            used[0] += 1
            return next(it, None)
        if hi - lo == 1:
            return known[lo]
        k = split(hi - lo)
        left, right = walk(lo, lo + k), walk(lo + k, hi)
        return None if left is None or right is None else sha256(b"\x01" + left + right)

    root = walk(0, count)
    return root if root is not None and used[0] == len(nodes) else None


def session_id(config_hash, count, root):
    return sha256(L + b"session" + config_hash + be32(count) + root)


def check(res):
    f = "secagg-directory.json"
    v = load(f)
    last = None
    for case in v["cases"]:
        leaves = [leaf_hash(e["id"], bytes.fromhex(e["body"]), bytes.fromhex(e["signature"])) for e in case["leaves"]]
        m = len(leaves)
        root = tree_hash(leaves)
        res.check(f, "root of %d leaves" % m, root.hex() == case["root"])
        for p in case["proofs"]:
            idx = p["indices"]
            nodes = proof(leaves, idx)
            res.check(f, "proof of leaves %s of %d" % (idx, m), b"".join(nodes).hex() == p["proof"])
            back = root_from_proof(m, {i: leaves[i] for i in idx}, nodes)
            res.check(f, "leaves %s of %d and their proof give the root" % (idx, m), back == root)
        last = (m, root)
    cfg = bytes.fromhex(v["session_configuration_hash"])
    res.check(f, "session id from the last case's root", session_id(cfg, *last).hex() == v["session_id_of_last_case"])
