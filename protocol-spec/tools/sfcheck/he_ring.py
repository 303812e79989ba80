"""The ring of he.md 1-4: primes, NTT, samplers, BFV encryption, modulus switching and the ciphertext format."""
import struct

from .common import sha256, KeystreamReader

MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n):
    if n < 2:
        return False
    for p in MR_BASES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def primes_for(degree, bits_list):
    chosen = []
    for bits in bits_list:
        p = ((1 << bits) - 1) // (2 * degree) * (2 * degree) + 1
        while p >= (1 << bits) or p in chosen or not is_prime(p):
            p -= 2 * degree
        chosen.append(p)
    return chosen


def smallest_psi(p, n):
    """The smallest x in [2, p) with x^N = -1 mod p: the roots are the odd powers of any one of them, take the least."""
    for g in range(2, p):
        x = pow(g, (p - 1) // (2 * n), p)
        if pow(x, n, p) == p - 1:
            x2, r, best = x * x % p, x, x
            for _ in range(n - 1):
                r = r * x2 % p
                best = min(best, r)
            return best
    raise ValueError


def bitrev(k, bits):
    return int(format(k, "0%db" % bits)[::-1], 2) if bits else 0


class Ntt:
    """Forward: entry k = a(psi^(2 bitrev(k) + 1)); inverse undoes it. Via a twisted cyclic radix-2 DFT."""

    def __init__(self, p, n, psi=None):
        self.p, self.n = p, n
        self.psi = psi or smallest_psi(p, n)
        self.logn = n.bit_length() - 1
        self.pw = [pow(self.psi, j, p) for j in range(n)]
        inv_psi = pow(self.psi, p - 2, p)
        self.ipw = [pow(inv_psi, j, p) for j in range(n)]
        self.rev = [bitrev(k, self.logn) for k in range(n)]
        self.ninv = pow(n, p - 2, p)

    def _dft(self, a, w):
        p, n = self.p, self.n
        a = [a[self.rev[i]] for i in range(n)]
        size = 2
        while size <= n:
            wm = pow(w, n // size, p)
            half = size // 2
            ws = [1] * half
            for i in range(1, half):
                ws[i] = ws[i - 1] * wm % p
            for start in range(0, n, size):
                for j in range(half):
                    u, v = a[start + j], a[start + j + half] * ws[j] % p
                    a[start + j], a[start + j + half] = (u + v) % p, (u - v) % p
            size *= 2
        return a

    def forward(self, a):
        p = self.p
        evals = self._dft([x * y % p for x, y in zip(a, self.pw)], self.psi * self.psi % p)  # evals[m] = a(psi^(2m+1))
        return [evals[self.rev[k]] for k in range(self.n)]

    def inverse(self, f):
        p = self.p
        evals = [0] * self.n
        for k in range(self.n):
            evals[self.rev[k]] = f[k]
        w_inv = pow(self.psi * self.psi % p, p - 2, p)
        a = self._dft(evals, w_inv)
        return [x * self.ninv % p * y % p for x, y in zip(a, self.ipw)]


def parameter_id(degree, primes, bits):
    return sha256(b"SecureFed/he/params/v1", bytes([degree.bit_length() - 1, len(primes)]),
                  b"".join(struct.pack("<Q", p) for p in primes), bytes([bits]))[:8]


def ternary(rng, n):
    out = []
    while len(out) < n:
        for b in rng.read(n - len(out)):
            if b != 255:
                out.append(b % 3 - 1)
    return out


def cbd(rng, n):
    out = []
    for _ in range(n):
        w = int.from_bytes(rng.read(6), "little")
        out.append(bin(w & 0x1FFFFF).count("1") - bin((w >> 21) & 0x1FFFFF).count("1"))
    return out


def uniform(rng, n, p):
    mask = (1 << (p - 1).bit_length()) - 1
    out = []
    while len(out) < n:
        w = rng.u64() & mask
        if w < p:
            out.append(w)
    return out


def expand(seed, primes, n):
    """Seed expansion: residues mod p_i from AES-256-CTR(seed, nonce = i), taken as NTT form."""
    return [uniform(KeystreamReader(seed, i), n, p) for i, p in enumerate(primes)]


def pack(rows, primes):
    """Bit-pack each row of residues at bitlen(p_i) bits, LSB first (he.md 7)."""
    out = b""
    for row, p in zip(rows, primes):
        w = p.bit_length()
        acc = 0
        for j, v in enumerate(row):
            acc |= v << (j * w)
        out += acc.to_bytes(len(row) * w // 8, "little")
    return out


def header(kind, degree, level, pid, blocks, bodies):
    return b"SFHE" + bytes([1, kind, degree.bit_length() - 1, level]) + pid + struct.pack("<I", blocks) + bytes([bodies, 0, 0, 0])


def mod_switch(rows, primes):
    """Drop the last prime: c' = (c - [c]_pl) * pl^-1 mod p_i, [c]_pl centred in (-pl/2, pl/2]."""
    pl = primes[-1]
    out = []
    for row, p in zip(rows[:-1], primes[:-1]):
        inv = pow(pl, p - 2, p)
        new = []
        for c, cl in zip(row, rows[-1]):
            centred = cl - pl if cl > pl // 2 else cl
            new.append((c - centred) * inv % p)
        out.append(new)
    return out


def delta_round(m, q, t):
    """round(q m / t) = Delta m + floor((r m + t/2) / t), Delta = floor(q/t), r = q mod t."""
    return (q // t) * m + (q % t * m + t // 2) // t
