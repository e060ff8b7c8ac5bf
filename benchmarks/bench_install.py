"""Install qbank as a user would, into a fresh virtualenv, and check the light default.

    python benchmarks/bench_install.py [--venv DIR]

`pip install`s this repository without `-c constraints.txt` (as pre-commit and
`pip install git+...` do), then checks in that virtualenv that
  - torch and sentence_transformers cannot be imported;
  - `qbank lint` on a small bank with a planted near-duplicate (tests/data/bank plus
    tests/data/planted) reports QB402 for both questions, with the bundled model.
Prints the install time and the virtualenv's size on disk (targets: at most 60 s with a
warm pip cache, at most 400 MB) and its largest packages. Exit status 1 when a check fails;
tests/test_install.py runs it, without the timing targets.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.planted import PLANTED_PAIR, planted_project  # noqa: E402

HEAVY = ("torch", "sentence_transformers")


def disk_usage(folder: Path) -> int:
    """Bytes on disk under `folder`, as `du -s` counts them (links not followed)."""
    total = 0
    for directory, _, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(directory, name)).st_blocks * 512
    return total


def largest_packages(venv: Path, count: int) -> list[tuple[str, int]]:
    (site,) = venv.glob("lib/python*/site-packages")
    sizes = [(p.name, disk_usage(p)) for p in site.iterdir() if p.is_dir()]
    return sorted(sizes, key=lambda item: -item[1])[:count]


def check(venv: Path, work: Path) -> list[str]:
    """What fails in the installed virtualenv (nothing, when all is well)."""
    failures = []
    python = venv / "bin" / "python"
    for module in HEAVY:
        imported = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
        print(f"import {module}: {'FAILS (good)' if imported.returncode else 'works'}")
        if imported.returncode == 0:
            failures.append(f"{module} is importable in the default install")
    project = planted_project(work / "project")
    started = time.perf_counter()
    lint = subprocess.run([venv / "bin" / "qbank", "lint", "--format", "json"], cwd=project,
                          capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - started
    try:
        problems = json.loads(lint.stdout)
    except json.JSONDecodeError:
        return [*failures, f"qbank lint failed (exit {lint.returncode}): {lint.stderr.strip()}"]
    found = {p["question_id"] for p in problems if p["code"] == "QB402"}
    print(f"qbank lint, first run (model loaded, 5 questions embedded): {seconds:.1f} s, "
          f"exit {lint.returncode}, QB402 on {sorted(found)}")  # fmt: skip
    if found != PLANTED_PAIR:
        failures.append(f"QB402 reported {sorted(found)}, expected {sorted(PLANTED_PAIR)}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, help="keep the virtualenv here (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        venv = args.venv or work / "venv"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
        created = time.perf_counter() - started
        started = time.perf_counter()
        install = subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet",
                                  str(REPO)], capture_output=True, text=True)  # fmt: skip
        installed = time.perf_counter() - started
        if install.returncode != 0:
            print(install.stdout + install.stderr)
            return 1
        size = disk_usage(venv)
        print(f"virtualenv created in {created:.1f} s; pip install (no constraints) in "
              f"{installed:.1f} s (target <= 60 s, warm pip cache)")  # fmt: skip
        print(f"virtualenv size: {size / 1e6:.0f} MB (target <= 400 MB); largest packages:")
        for name, bytes_used in largest_packages(venv, 8):
            print(f"  {name:<32} {bytes_used / 1e6:6.1f} MB")
        failures = check(venv, work)
    for failure in failures:
        print(f"FAILED: {failure}")
    print("install check:", "FAILED" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
