"""Time `qbank export` per format on a synthetic bank, beside a baseline from the same run.

    python benchmarks/bench_export.py --count 10000 [--formats gift,aiken,csv,html,print,…]
        [--runs 1]

Targets (issue 16, on the 2-core reference machine, N = 10,000): each format < 10 s and at
most 1.2x the baseline. Baseline: a process that does everything an export does except the
format's writer (load the bank through the lint gate, which leaves QB402 out as export does,
then render every question's Markdown once), run before each format's export. Each figure is
the best of its runs (--runs per format; the baseline's, one before each export).
The in-process breakdown shows where an export's time goes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import timed, write_project  # noqa: E402

from qbank.cli.export import NOT_IN_EXPORT_GATE  # noqa: E402

QBANK = [sys.executable, "-m", "qbank"]
SUFFIXES = {
    "anki": ".apkg",
    "json": ".json",
    "jsonl": ".jsonl",
    "moodle": ".xml",
    "qti": ".zip",
    "qti12": ".zip",
    "gift": ".gift",
    "aiken": ".txt",
    "csv": ".csv",
    "html": ".html",
    "print": ".html",
}
LOAD_AND_RENDER = """
from qbank.cli.export import NOT_IN_EXPORT_GATE
from qbank.config import load_config
from qbank.export.render import render_bank
from qbank.lint import lint
config = load_config()
result = lint([], config, ignore=[*config.ignore, *NOT_IN_EXPORT_GATE], need_bank=True)
render_bank(result.bank)
"""


def breakdown(root: Path, formats: list[str]) -> list[tuple[str, float]]:
    """Seconds for each stage of an export, measured in this process."""
    import os

    from qbank.cli.export import NOT_IN_EXPORT_GATE
    from qbank.config import load_config
    from qbank.export import get_exporter
    from qbank.export.render import render_bank
    from qbank.lint import lint

    os.chdir(root)
    started = time.perf_counter()
    config = load_config()
    result = lint([], config, ignore=[*config.ignore, *NOT_IN_EXPORT_GATE], need_bank=True)
    assert result.bank is not None
    loaded = time.perf_counter()
    bank = render_bank(result.bank)
    rendered = time.perf_counter()
    stages = [("load + lint gate (cached parse)", loaded - started), ("render", rendered - loaded)]
    gc.freeze()  # as `qbank export` does before it writes
    for name in formats:
        begin = time.perf_counter()
        get_exporter(name).export(bank, root / "build" / f"inprocess{SUFFIXES[name]}")
        stages.append((f"write {name}", time.perf_counter() - begin))
    return stages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--formats", default=",".join(SUFFIXES))
    parser.add_argument("--runs", type=int, default=1, help="best of this many runs per format")
    args = parser.parse_args()
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        write_project(root, args.count)
        # Fill the parse cache once, as any earlier lint would; without the embedding rules,
        # which export's gate leaves out too (embedding 10,000 questions is bench_dedup's).
        timed([*QBANK, "lint", "--ignore", ",".join(NOT_IN_EXPORT_GATE)], root)
        load_and_render = [sys.executable, "-c", LOAD_AND_RENDER]
        # The baseline runs just before each format, as other jobs' load drifts during the
        # run; it is the best of all its runs, each format the best of its own.
        baseline_runs: list[float] = []
        exports: dict[str, list[float]] = {name: [] for name in formats}
        for _ in range(args.runs):
            for name in formats:
                baseline_runs.append(timed(load_and_render, root))
                out = root / "build" / f"bank-{name}{SUFFIXES[name]}"
                command = [*QBANK, "export", "--format", name, "--out", str(out)]
                # quiet: the per-question notes on stderr (10,000 for gift) are not timed
                exports[name].append(timed(command, root, quiet=True))
        baseline = min(baseline_runs)
        rows = [("load + render, no writer (baseline)", baseline, "1.00x")]
        for name, runs in exports.items():
            seconds = min(runs)
            size_mb = (root / "build" / f"bank-{name}{SUFFIXES[name]}").stat().st_size / 1e6
            verdict = "ok" if seconds < 10 and seconds <= 1.2 * baseline else "OVER target"
            note = f"{seconds / baseline:.2f}x baseline, {size_mb:.1f} MB, {verdict}"
            rows.append((f"qbank export --format {name}", seconds, note))
        width = max(len(name) for name, _, _ in rows)
        for name, seconds, note in rows:
            print(f"{name:<{width}}  {seconds:7.2f} s  {note}")
        print("\nin one process:")
        for stage, seconds in breakdown(root, formats):
            print(f"  {stage:<{width - 2}}  {seconds:7.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
