#!/bin/bash
# autogen + configure + make, each step only when needed (idempotent).
# Extra arguments go to configure (e.g. --enable-asan) and force it to run.
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x configure ]] || ./autogen.sh
if [[ ! -f Makefile || $# -gt 0 ]]; then
  ./configure -q "$@"
fi
make -j"$(nproc)"
