"""Shamir sharing over GF(2^61 - 1) as secagg.md 5 states it."""
import struct

P61 = (1 << 61) - 1


def chunks(secret):
    return [int.from_bytes(secret[i * 7:i * 7 + (7 if i < 4 else 4)], "little") for i in range(5)]


def evaluate(polys, holders):
    out = []
    for h in holders:
        vals = [sum(a * pow(h, j, P61) for j, a in enumerate(poly)) % P61 for poly in polys]
        out.append(struct.pack("<5Q", *vals))
    return out


def shamir_split(secret, t, holders, rng):
    """Coefficients a_1..a_{t-1} of chunk 0, then chunk 1, ...; each NextBelow(p) (secagg.md 5)."""
    polys = []
    for c in chunks(secret):
        polys.append([c] + [rng.next_below(P61) for _ in range(t - 1)])
    return evaluate(polys, holders)
