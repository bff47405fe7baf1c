#!/usr/bin/env python3
"""Run every check: lint, format, types, the whole test suite, and coverage rules.

Creates .venv and installs the app with its test tools on first use.
Extra arguments go to pytest (for example ``python run_tests.py -k guidance``).
"""

import os
import subprocess
import sys

from tools.bootstrap import ROOT, ensure_environment

# Modules whose every branch must be exercised by the tests.
FULL_COVERAGE = ["app/screening/guidance.py"]


def main() -> int:
    python = str(ensure_environment(dev=True))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("COVERAGE_FILE", None)
    steps = [
        [python, "-m", "ruff", "check", "."],
        [python, "-m", "ruff", "format", "--check", "."],
        [python, "-m", "mypy", "app", "tools", "scripts", "benchmarks"],
        [python, "-m", "pytest", "--cov=app", "--cov-branch", "--cov-report=", *sys.argv[1:]],
        [python, "-m", "coverage", "report", "--show-missing", "--fail-under=100",
         "--include=" + ",".join(FULL_COVERAGE)],
    ]  # fmt: skip
    for step in steps:
        print("$", " ".join(step[1:]), flush=True)
        code = subprocess.call(step, cwd=ROOT, env=env)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
