#!/usr/bin/env bash
# The full kill -9 matrix (18 cases: masking R0..R4 and HE H0..H3, each after an envelope is logged and after its close
# or outcome is stored) against the real service process; the default test run has three of them (masking R2 envelope, masking R4 and HE H3 outcome).
# Usage: eng/fault-matrix.sh [extra dotnet test args]   (builds Release first unless --no-build is passed)
set -euo pipefail
cd "$(dirname "$0")/.."
SECUREFED_FAULT_MATRIX=full exec dotnet test tests/SecureFed.Aggregator.Tests -c Release \
  --filter "FullyQualifiedName~SecureFed.Aggregator.Tests.Faults.KillMatrixTests" --logger "console;verbosity=normal" "$@"
