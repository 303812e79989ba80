"""dp-*.json: rotation signs, samplers, client encoding and decoding, accountant (dp.md 2-6)."""
import math

from .common import aes_ctr_keystream, drs, load
from .dp_samplers import WordBuffer, discrete_gaussian, skellam

NONCE = 0x4450524F54415445


def signs(seed, d):
    nbytes = (d + 7) // 8
    ks = aes_ctr_keystream(seed, NONCE, (nbytes + 15) // 16 * 16)
    return [-1.0 if (ks[i >> 3] >> (i & 7)) & 1 else 1.0 for i in range(d)], ks


def butterfly(y):
    n, h = len(y), 1
    while h < n:
        for i in range(0, n, 2 * h):
            for j in range(i, i + h):
                y[j], y[j + h] = y[j] + y[j + h], y[j] - y[j + h]
        h *= 2


def rotate(x, s):
    y = [a * b for a, b in zip(x, s)]
    butterfly(y)
    r = 1 / math.sqrt(len(y))
    return [a * r for a in y]


def unrotate(v, s):
    y = list(v)
    butterfly(y)
    r = 1 / math.sqrt(len(y))
    return [a * (r * b) for a, b in zip(y, s)]


def check_rotation(res):
    f = "dp-rotation-signs.json"
    v = load(f)
    seed = bytes.fromhex(v["seed_hex"])
    s, ks = signs(seed, v["padded_dimension"])
    res.check(f, "keystream and signs", ks[:16].hex() == v["keystream_first_16_bytes_hex"]
              and "".join("-" if x < 0 else "+" for x in s) == v["signs"] and "%x" % NONCE == v["nonce_hex"])
    s8, _ = signs(seed, len(v["rotate_input"]))
    res.check(f, "rotation H D x * (1/sqrt(d)), bit for bit", rotate([float(x) for x in v["rotate_input"]], s8) == v["rotate_output"])


def check_samplers(res):
    f = "dp-samplers.json"
    v = load(f)
    for key, sampler, seed in (("discrete_gaussian_7_over_3_seed_7", lambda r: discrete_gaussian(r, 7, 3), 7),
                               ("discrete_gaussian_1000000_seed_8", lambda r: discrete_gaussian(r, 1_000_000, 1), 8),
                               ("discrete_gaussian_0_seed_9", lambda r: discrete_gaussian(r, 0, 1), 9),
                               ("skellam_5_over_2_seed_10", lambda r: skellam(r, 5, 2), 10)):
        r = WordBuffer(drs(seed))  # one buffer and bit cache for the whole call
        res.check(f, key, [sampler(r) for _ in range(len(v[key]))] == v[key])


def norm_bound_squared(x, beta, d):
    root = math.sqrt(d)
    b1 = (x + root) * (x + root)
    if beta == 0:
        return b1
    return min(b1, x * x + 0.25 * d + math.sqrt(2 * math.log(1 / beta)) * (x + 0.5 * root))


def check_encode(res):
    f = "dp-encode.json"
    v = load(f)
    p = v["plan"]
    d, d0, bits, gamma, c = p["padded_dimension"], p["dimension"], p["bits"], p["scale"], p["clip_norm"]
    res.check(f, "padded dimension and floor(Delta2^2)", d == 1 << (d0 - 1).bit_length()
              and math.floor(norm_bound_squared(c / gamma, p["rounding_beta"], d)) == p["l2_sensitivity_squared"]
              and p["rounding_beta"] == math.exp(-0.5))
    s, _ = signs(bytes.fromhex(v["rotation_seed_hex"]), d)
    total = [0] * d
    for cl in v["clients"]:
        x = cl["update"]
        sq = 0.0
        for a in x:
            sq += a * a
        norm = math.sqrt(sq)
        factor = c / norm if norm > c else 1.0
        y = rotate(x + [0.0] * (d - d0), s)
        g = factor / gamma
        y = [a * g for a in y]
        r = WordBuffer(drs(cl["deterministic_random_source_seed"]))
        attempts = 0
        while True:
            attempts += 1
            z = []
            for a in y:
                fl = math.floor(a)
                u = r.word() >> 11
                z.append(int(fl) + (1 if u < (a - fl) * 9007199254740992.0 else 0))
            if sum(k * k for k in z) <= p["l2_sensitivity_squared"]:
                break
        words = [(k + discrete_gaussian(r, p["variance_numerator"], p["variance_denominator"])) % (1 << bits) for k in z]
        res.check(f, "client seed %d: clipped, attempts, encoded words" % cl["deterministic_random_source_seed"],
                  (factor < 1.0) == cl["clipped"] and attempts == cl["rounding_attempts"] and words == cl["encoded"])
        total = [(a + b) % (1 << bits) for a, b in zip(total, words)]
    res.check(f, "sum mod 2^bits", total == v["sum_mod_2_bits"])
    centred = [(w - (1 << bits) if w >= 1 << (bits - 1) else w) * gamma for w in total]
    res.check(f, "decoded estimate, bit for bit", unrotate(centred, s)[:d0] == v["decoded_estimate"])


def check(res):
    check_rotation(res)
    check_samplers(res)
    check_encode(res)
    from .dp_accountant import check as check_accountant
    check_accountant(res)
