"""The exact samplers and the randomness stream of dp.md 2.2 and 3."""
import math

M64 = 1 << 64


class WordBuffer:
    """One Encode/Sample call's stream: little-endian words, a NextBit cache shared by all draws of the call."""

    def __init__(self, rng):
        self._rng = rng
        self._bits = 0
        self._left = 0

    def word(self):
        return self._rng.u64()

    def next_bit(self):
        if self._left == 0:
            self._bits, self._left = self.word(), 64
        b = self._bits & 1
        self._bits >>= 1
        self._left -= 1
        return b

    def next_below(self, bound):
        if bound < M64:  # Lemire
            m = self.word() * bound
            if m % M64 < bound:
                t = (M64 - bound) % bound
                while m % M64 < t:
                    m = self.word() * bound
            return m >> 64
        k = (bound - 1).bit_length()
        while True:
            hi = self.word()
            lo = self.word()
            v = ((hi << 64) | lo) % (1 << k)
            if v < bound:
                return v

    def bernoulli(self, p, q):
        return self.next_below(q) < p


def exp_minus_one(r):
    k = 2
    while r.next_below(k) == 0:
        k += 1
    return k % 2 == 1


def exp_minus(r, n, d):
    """Bernoulli(exp(-n/d)), dp.md 3 (CKS20 Algorithm 1)."""
    if n >= 1 << 128:
        for _ in range(n // d):
            if not exp_minus_one(r):
                return False
        return exp_minus(r, n % d, d)
    small = n < M64 and d < M64
    for _ in range(n // d):
        if not exp_minus_one(r):
            return False
    n %= d
    if n == 0:
        return True
    k = 1
    while True:
        if small and d * k < M64:
            a = r.next_below(d * k) < n
        else:
            a = (k == 1 or r.next_below(k) == 0) and r.bernoulli(n, d)
        if not a:
            return k % 2 == 1
        k += 1


def dlap(r, t):
    while True:
        u = r.next_below(t)
        if not exp_minus(r, u, t):
            continue
        v = 0
        while exp_minus_one(r):
            v += 1
        x = u + t * v
        b = r.next_bit()
        if b and x == 0:
            continue
        return -x if b else x


def discrete_gaussian(r, num, den):
    if num == 0:
        return 0
    t = math.isqrt(num // den) + 1
    while True:
        y = dlap(r, t)
        a = abs(y) * den * t - num
        if exp_minus(r, a * a, 2 * num * den * t * t):
            return y


def poisson_half(r):
    while True:
        if r.next_bit() == 0:
            return 0
        j = 1
        while r.next_below(2 * (j + 1)) == 0:
            j += 1
        if r.next_below(2 * j + 1) < j + 1:
            return j


def poisson_small(r, p, q):
    while True:
        j = 0
        while r.bernoulli(p, q * (j + 1)):
            j += 1
        if r.bernoulli((q - p) * (j + 1), (j + 1) * q - p):
            return j


def poisson(r, n, d):
    if n // d >= 16:
        raise NotImplementedError("LargePoisson (floor(lambda) >= 16) is not exercised by the vectors")
    total = sum(poisson_half(r) for _ in range((2 * n) // d))
    rem = (2 * n) % d
    if rem:
        total += poisson_small(r, rem, 2 * d)
    return total


def skellam(r, n, d):
    first = poisson(r, n, 2 * d)
    return first - poisson(r, n, 2 * d)
