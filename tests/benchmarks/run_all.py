"""Run every benchmark script, each in a process of its own, and print one table.

Each script sets Django up on a database of its own, so they cannot share a
process. Their figures come back through a file named in the environment.

    .venv/bin/python tests/benchmarks/run_all.py      (what `make bench` runs)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchkit import SUMMARY_FILE_VARIABLE, Figure, print_figures

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as summary:
        env = os.environ | {SUMMARY_FILE_VARIABLE: summary.name}
        failed = []
        for script in scripts:
            print(f"\n=== {script.name} ===", flush=True)
            if subprocess.run([sys.executable, str(script)], env=env).returncode:
                failed.append(script.name)
        figures = [Figure(**json.loads(line)) for line in summary if line.strip()]
    print_figures("Summary (every figure beside its reference)", figures)
    if failed:
        print(f"\nThese scripts stopped with an error: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
