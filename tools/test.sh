#!/usr/bin/env bash
# The course's test command, run by `make test` (after the venv is set up) and by CI:
# ruff over the package, tests and notebooks, then one pytest run over the unit tests,
# the notebooks (nbval, strict output comparison) and the browser suite.
set -u
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

"$VENV/bin/ruff" check . || { echo "ruff found problems (see above)"; exit 1; }

"$VENV/bin/pytest" --nbval --nbval-current-env \
    --nbval-sanitize-with tests/nbval-sanitize.cfg \
    tests notebooks "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    # pytest's "no tests collected": say so loudly rather than pass or fail in silence.
    echo "NO TESTS RAN: pytest collected nothing from tests/ and notebooks/."
    echo "0 passed, 0 failed"
    exit 0
fi
exit "$rc"
