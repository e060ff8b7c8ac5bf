"""Time what the test-wiseness cues cost on a synthetic bank, beside baselines from the same run.

    python benchmarks/bench_cues.py --count 10000

Rows:
  qbank lint after one file changed, QB407 ignored (baseline) and with QB407: the bank rule
  runs on every lint whose stored result cannot be reused, so its cost is the difference.
  qbank coverage (baseline: loads the bank and writes a report) and qbank cues.
Times are CPU seconds (user + system, best of --runs): the shared machine's load makes
wall-clock times swing by several times. Target: QB407 adds under 50% to a lint after one
change, and qbank cues stays within 2x of qbank coverage. QB402 (near-duplicates) is left
out: bench_dedup.py times it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import cpu_timed, print_rows, write_project  # noqa: E402

QBANK = [sys.executable, "-m", "qbank"]


def lint_after_a_change(root: Path, count: int, ignore: str, runs: int) -> float:
    """Best of `runs` lints, each after one file changed (so no stored result is reused), in a
    project of its own: the cache of question checks is kept for one choice of rules, so a
    first lint with these rules fills it and the timed runs differ only by the bank rules."""
    write_project(root, count)
    cpu_timed([*QBANK, "lint", "--ignore", ignore], root)
    one = next((root / "questions").rglob("syn-000001.yaml"))
    best = float("inf")
    for run in range(runs):
        with one.open("a") as handle:  # new content each time: no stored result applies
            handle.write(f"# run {run}\n")
        best = min(best, cpu_timed([*QBANK, "lint", "--ignore", ignore], root))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with TemporaryDirectory() as temp:
        root = Path(temp)
        baseline = lint_after_a_change(root / "baseline", args.count, "QB402,QB407", args.runs)
        with_cues = lint_after_a_change(root / "cues", args.count, "QB402", args.runs)
        coverage = min(cpu_timed([*QBANK, "coverage"], root / "cues") for _ in range(args.runs))
        cues = min(cpu_timed([*QBANK, "cues"], root / "cues") for _ in range(args.runs))
    rows = [
        ("qbank lint, one file changed, QB407 ignored (baseline)", baseline, "1.00x"),
        ("qbank lint, one file changed, with QB407", with_cues, f"{with_cues / baseline:.2f}x"),
        ("qbank coverage (baseline)", coverage, "1.00x"),
        ("qbank cues", cues, f"{cues / coverage:.2f}x coverage"),
    ]
    print_rows(rows, "s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
