#!/usr/bin/env python3
"""Independent check of every SecureFed test vector, from the rules of protocol-spec/*.md alone.

Usage: python3 protocol-spec/tools/check_vectors.py   (needs Python 3.9+ and: pip install cryptography)

Shares no code with SecureFed: MessagePack, the deterministic random source, Shamir, the masking round, the HE ring,
samplers and ciphertexts, the DP samplers, encoder and accountant, transcripts and request signatures are all
re-implemented here (package sfcheck) from the prose. Every file in test-vectors/ must be checked; a file no check
reads is a failure. Exit code 0 only when every check passes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sfcheck.common import VECTORS, Results  # noqa: E402
from sfcheck import dp, he, he_round, he_seal, secagg, secagg_directory, secagg_round, transcript, transport  # noqa: E402


def main():
    res = Results()
    for module in (secagg, secagg_directory, secagg_round, he, he_round, he_seal, dp, transcript, transport):
        module.check(res)
    files = sorted(f for f in os.listdir(VECTORS) if f.endswith(".json"))
    checked = len(set(files) & res.covered)
    for f in [f for f in files if f not in res.covered]:
        res.check(f, "no check reads this file", False)
    print("\n%d of %d vector files checked; %s" % (checked, len(files), "all checks passed" if res.ok else "SOME CHECKS FAILED"))
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
