"""Time `qbank` on a synthetic bank and print each figure beside a baseline from the same run.

    python benchmarks/bench_lint.py --count 10000 [--first-lint-count 1000] [--runs 3]
                                    [--with-yamllint]

Targets (issues 2 and 16, on the 2-core reference machine, N = 10,000):
  qbank --version / --help          < 0.3 s
  cold qbank lint (no cache)        <= 2x PyYAML's C loader parsing the same files
  warm qbank lint (nothing changed) <= 0.5 s
  one file changed (pre-commit)     <= 1.0 s
Lint runs here without the rules that embed text (QB402 near-duplicates, QB406
conflicting keys): their cold cost is the last figure, the first lint of a bank of
--first-lint-count questions of realistic length (synthetic.write_realistic_project) with
every rule and nothing cached (target <= 20 s at 1,000), beside the same lint without them,
and its CPU time (steadier than the wall time when other jobs share the machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import print_rows, timed, write_project, write_realistic_project  # noqa: E402

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
    parser.add_argument("--first-lint-count", type=int, default=1_000, help="0: skip")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
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
        cold = min(cold_lint(root) for _ in range(args.runs))
        rows.append(("qbank lint, cold (no cache)", cold,
                     f"{cold / baseline:.2f}x baseline, target <= 2.0x"))  # fmt: skip
        warm = best_of(args.runs, LINT, root)
        rows.append(("qbank lint, warm (nothing changed)", warm,
                     f"{warm / baseline:.2f}x, target <= 0.5 s"))  # fmt: skip
        one = next(bank.rglob("syn-000001.yaml"))
        changed = min(one_file_changed(one, root, run) for run in range(args.runs))
        rows.append(("qbank lint, one file changed", changed,
                     f"{changed / baseline:.2f}x, target <= 1.0 s"))  # fmt: skip
        if args.with_yamllint and shutil.which("yamllint"):
            seconds = timed(["yamllint", "-d", "relaxed", str(bank)], root)
            rows.append(
                ("yamllint (relaxed)", seconds, f"qbank cold is {seconds / cold:.1f}x faster")
            )
        if args.first_lint_count:
            rows.extend(first_lint(root / "realistic", args.first_lint_count, args.runs))
        print_rows(rows)
    return 0


def cold_lint(root: Path) -> float:
    shutil.rmtree(root / ".qbank_cache", ignore_errors=True)
    return timed(LINT, root)


def one_file_changed(one: Path, root: Path, run: int) -> float:
    """A lint after `one` changed (to a content not seen before), the rest cached."""
    timed(LINT, root)  # everything else cached and the stored result current
    one.write_text(one.read_text() + f"# edit {run}\n")
    return timed(LINT, root)


def first_lint(root: Path, count: int, runs: int) -> list[tuple[str, float, str]]:
    """The first lint of a newly adopted bank: every rule, nothing cached (the embedding
    model's cold cost), beside the same lint without the rules that embed; best of `runs`.
    Its CPU time (all threads) is steadier than the wall time on a shared machine: on
    otherwise idle cores the wall time is about the CPU time over the cores."""
    root.mkdir()
    write_realistic_project(root, count)
    # Exit 1 is fine here: a realistic bank has problems (the planted near-duplicates).
    without = min(wall_and_cpu([*LINT, "--no-cache"], root) for _ in range(runs))
    full = min(wall_and_cpu([*QBANK, "lint", "--no-cache"], root) for _ in range(runs))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    name = f"first lint, {count} realistic questions"
    return [
        (f"{name}, without QB402/QB406 (baseline)", without[0], "1.00x"),
        (f"{name}, every rule (cold embeddings)", full[0],
         f"{full[0] / without[0]:.2f}x baseline, target <= 20 s"),
        (f"{name}, every rule, CPU time", full[1],
         f"{full[1] / max(without[1], 1e-9):.2f}x the baseline's CPU ({without[1]:.2f} s); "
         f"over {cores} cores: {full[1] / (cores or 1):.1f} s"),
    ]  # fmt: skip


def wall_and_cpu(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, every thread) of one run of `command`,
    which may exit 0 or 1."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, cwd, (0, 1))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


if __name__ == "__main__":
    raise SystemExit(main())
