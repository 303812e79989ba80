"""dp-accountant.json: the RDP accountant of dp.md 6 (doubles; compared to a relative 1e-9)."""
import math

from .common import load

GAUSSIAN_ORDERS = [1 + x / 10 for x in range(1, 100)] + list(range(12, 64))
INTEGER_ORDERS = list(range(2, 129)) + [256]


def log_add(a, b):
    hi, lo = max(a, b), min(a, b)
    return lo if hi == -math.inf else hi + math.log1p(math.exp(lo - hi))


def log_erfc(x):
    if x < 0:
        return math.log(2 - math.exp(log_erfc(-x)))
    e = math.erfc(x)
    if e > 1e-300:
        return math.log(e)
    f = x
    for k in range(120, 0, -1):  # continued fraction, for where erfc underflows
        f = x + k / 2.0 / f
    return -x * x - 0.5 * math.log(math.pi) - math.log(f)


def gaussian_rdp(q, z, a):
    if q == 0:
        return 0.0
    if z == 0:
        return math.inf
    if q == 1:
        return a / (2 * z * z)
    lq, l1q = math.log(q), math.log(1 - q)
    if a == math.floor(a):
        la, lb = -math.inf, 0.0
        for i in range(int(a) + 1):
            la = log_add(la, lb + i * lq + (a - i) * l1q + (i * i - i) / (2 * z * z))
            if i < a:
                lb += math.log(a - i) - math.log(i + 1)
        return la / (a - 1)
    z0 = z * z * math.log(1 / q - 1) + 0.5
    a0 = a1 = -math.inf
    last0 = last1 = -math.inf
    lc = 0.0
    for i in range(1000):
        j = a - i
        s0 = lc + i * lq + j * l1q + (i * i - i) / (2 * z * z) + math.log(0.5) + log_erfc((i - z0) / (math.sqrt(2) * z))
        s1 = lc + j * lq + i * l1q + (j * j - j) / (2 * z * z) + math.log(0.5) + log_erfc((z0 - j) / (math.sqrt(2) * z))
        a0, a1 = log_add(a0, s0), log_add(a1, s1)
        if s0 < last0 and s1 < last1 and max(s0, s1) < -30:
            return log_add(a0, a1) / (a - 1)
        last0, last1 = s0, s1
        lc += math.log(abs(a - i)) - math.log(i + 1)
    return math.inf


def to_epsilon(orders, rdp, delta, conversion):
    best, best_order = math.inf, orders[0]
    for a, r in zip(orders, rdp):
        if conversion == "classic":
            eps = r + math.log(1 / delta) / (a - 1) if a > 1 else math.inf
        elif delta * delta + math.expm1(-r) > 0:
            eps = 0.0
        else:
            eps = r + math.log(1 - 1 / a) - math.log(delta * a) / (a - 1) if a > 1.01 else math.inf
        if eps < best:
            best, best_order = eps, a
    return max(0.0, best), best_order


def ddg_rdp(a, l2, l1, var, m, d):
    tau = 0.0
    for k in range(1, m):
        term = math.exp(-2 * math.pi * math.pi * var * k / (k + 1))
        tau += term
        if term == 0:
            break
    tau *= 10
    sd = math.sqrt(m * var)
    s2, s1 = l2 / sd, l1 / sd
    return min(a / 2.0 * s2 * s2 + tau * d, a / 2.0 * (s2 * s2 + 2 * s1 * tau + tau * tau * d), a / 2.0 * (s2 + math.sqrt(d) * tau) ** 2)


def skellam_rdp(a, l2, l1, mu):
    return a * l2 * l2 / (2 * mu) + min(((2 * a - 1) * l2 * l2 + 6 * l1) / (4 * mu * mu), 3 * l1 / (2 * mu))


def close(x, y):
    return abs(x - y) <= 1e-9 * abs(y)


def check(res):
    f = "dp-accountant.json"
    v = load(f)
    for c in v["cases"]:
        if c["mechanism"] == "subsampled-gaussian":
            rdp = [gaussian_rdp(c["sampling_rate"], c["noise_multiplier"], a) * c["steps"] for a in GAUSSIAN_ORDERS]
            eps, order = to_epsilon(GAUSSIAN_ORDERS, rdp, c["delta"], c["conversion"])
            name = "Gaussian q=%.6g z=%g steps=%d %s" % (c["sampling_rate"], c["noise_multiplier"], c["steps"], c["conversion"])
        elif c["mechanism"] == "distributed-discrete-gaussian":
            p = c["plan"]
            d = c["accountant_dimension"]
            l2 = math.sqrt(p["l2_sensitivity_squared"])
            l1 = l2 * min(math.sqrt(d), l2)
            var = p["variance_numerator"] / p["variance_denominator"]
            assert c["sampling_rate"] == 1 and d == p["padded_dimension"]
            rdp = [ddg_rdp(a, l2, l1, var, c["survivors"], d) * c["rounds"] for a in INTEGER_ORDERS]
            eps, order = to_epsilon(INTEGER_ORDERS, rdp, c["delta"], c["conversion"])
            from .dp import norm_bound_squared
            eps_ok = close(l2, c["l2_sensitivity"]) and close(l1, c["l1_sensitivity"]) and d == 1 << (p["dimension"] - 1).bit_length() \
                and math.floor(norm_bound_squared(p["clip_norm"] / p["scale"], p["rounding_beta"], d)) == p["l2_sensitivity_squared"]
            name = "DDG variance %s/%s, %d survivors, %d rounds, d = %d" % (p["variance_numerator"], p["variance_denominator"], c["survivors"], c["rounds"], d)
        else:
            rdp = [skellam_rdp(a, c["l2_sensitivity"], c["l1_sensitivity"], c["total_variance"]) * c["rounds"] for a in INTEGER_ORDERS]
            eps, order = to_epsilon(INTEGER_ORDERS, rdp, c["delta"], c["conversion"])
            name = "Skellam"
        ok = close(eps, c["epsilon"]) and abs(order - c["optimal_order"]) < 1e-9
        if c["mechanism"] == "distributed-discrete-gaussian":
            ok &= eps_ok
        res.check(f, "%s: epsilon %.10g at order %g" % (name, eps, order), ok)
