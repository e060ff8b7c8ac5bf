"""Time `qbank` on a synthetic bank and print each figure beside a baseline from the same run.

    python benchmarks/bench_lint.py --count 10000 [--with-yamllint]

Targets (issue 2, on the 2-core reference machine, N = 10,000):
  qbank --version / --help          < 0.3 s
  cold qbank lint (no cache)        <= 2x PyYAML's C loader parsing the same files
  warm qbank lint (nothing changed) < 1 s
Lint runs here without the rules that embed text (QB402 near-duplicates, QB406
conflicting keys): bench_dedup.py times embedding and search.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import print_rows, timed, write_project  # noqa: E402

from qbank.cli.export import NOT_IN_EXPORT_GATE  # noqa: E402

QBANK = [sys.executable, "-m", "qbank"]
# Embedding new text (QB402, QB406) is measured on its own by bench_dedup.py: cold, it is the
# model's speed, not the linter's (at 10,000 questions, half an hour on 2 cores).
LINT = [*QBANK, "lint", "--ignore", ",".join(NOT_IN_EXPORT_GATE)]


def best_of(runs: int, command: list[str], cwd: Path) -> float:
    return min(timed(command, cwd) for _ in range(runs))


def pyyaml_parse_seconds(bank: Path) -> float:
    """Baseline: PyYAML's C loader reading every file, nothing else, in a fresh process."""
    script = (
        "import sys, time, pathlib, yaml\n"
        "files = sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml'))\n"
        "t = time.perf_counter()\n"
        "for f in files: yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(bank)], capture_output=True, text=True)
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--with-yamllint", action="store_true", help="also time yamllint (slow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        bank = write_project(root, args.count)
        rows: list[tuple[str, float, str]] = []
        baseline = pyyaml_parse_seconds(bank)
        rows.append(("PyYAML CSafeLoader, parse only (baseline)", baseline, "1.00x"))
        for flag in ("--version", "--help"):
            seconds = best_of(3, [*QBANK, flag], root)
            rows.append((f"qbank {flag}", seconds, "target < 0.3 s"))
        shutil.rmtree(root / ".qbank_cache", ignore_errors=True)
        cold = timed(LINT, root)
        rows.append(("qbank lint, cold (no cache)", cold, f"{cold / baseline:.2f}x baseline"))
        warm = best_of(3, LINT, root)
        rows.append(("qbank lint, warm (nothing changed)", warm, f"{warm / baseline:.2f}x"))
        one = next(bank.rglob("syn-000001.yaml"))
        one.write_text(one.read_text().replace("medium", "hard"))
        changed = timed(LINT, root)
        rows.append(("qbank lint, one file changed", changed, f"{changed / baseline:.2f}x"))
        if args.with_yamllint and shutil.which("yamllint"):
            seconds = timed(["yamllint", "-d", "relaxed", str(bank)], root)
            rows.append(
                ("yamllint (relaxed)", seconds, f"qbank cold is {seconds / cold:.1f}x faster")
            )
        print_rows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
