"""Time the pre-commit hook on a one-question commit in a copy of the bundled bank.

    python benchmarks/bench_hook.py [--rev COMMIT] [--runs 3] [--pre-commit-home DIR]

A new git repository gets this repository's bank and settings and README's pre-commit
snippet pointing at this checkout (at --rev, default HEAD: commit what you want measured).
Once the hook's environment exists (built first, timed apart), each run changes the stem of
one question, so QB402 must embed a new text, and times:

  git commit             the whole commit, the hook included (what an author waits for)
  pre-commit run --files the hook alone on the changed question
  qbank lint FILE        the command the hook runs, without pre-commit
  qbank lint FILE again  nothing new to embed: every vector is cached

beside baselines from the same environment and run: the interpreter's start and
`qbank --version`. Target (issue 12): the one-question commit in <= 2 s wall.
Set PIP_CONSTRAINT=constraints.txt while the pinned qbank still depends on torch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IDENTITY = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall-clock seconds of `command`, which must succeed."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return seconds


def make_project(root: Path, rev: str) -> None:
    """The bundled bank with this repository's settings and README's hook, in a new repo."""
    import tomli_w

    from qbank.init_project import PUBLISHED_REV, REPOSITORY, hook_config

    shutil.copytree(REPO / "questions", root / "questions")
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["qbank"]
    (root / "qbank.toml").write_text(tomli_w.dumps({"tool": {"qbank": settings}}))
    config = hook_config().replace(REPOSITORY, str(REPO)).replace(PUBLISHED_REV, rev)
    (root / ".pre-commit-config.yaml").write_text(config)


def change_stem(path: Path, label: str) -> None:
    text = path.read_text()
    path.write_text(text.replace("stem: |\n", f"stem: |\n  ({label}) ", 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", default="HEAD", help="the commit of this repository to install")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pre-commit-home", type=Path, help="reuse hook environments here")
    args = parser.parse_args()
    rev = subprocess.run(["git", "rev-parse", args.rev], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "bank"
        home = args.pre_commit_home or Path(temp) / "pre-commit-home"
        env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(home)}
        make_project(root, rev)
        pre_commit = [sys.executable, "-m", "pre_commit"]
        run(["git", "init", "-q"], root, env)
        run([*pre_commit, "install"], root, env)
        print(f"qbank at {rev[:12]}; building the hook environment (once)...", flush=True)
        print(f"  pre-commit install-hooks: {run([*pre_commit, 'install-hooks'], root, env):.1f} s")
        (python,) = home.glob("repo*/py_env-*/bin/python")
        qbank = [str(python.parent / "qbank")]
        run(["git", "add", "-A"], root, env)
        cold = run(["git", "commit", "-qm", "bank"], root, env)
        print(f"  first commit, whole bank, cold cache: {cold:.1f} s")

        rows: dict[str, list[float]] = {}
        questions = sorted(p for p in (root / "questions").rglob("*.yaml") if "guide" not in p.name)
        question = questions[0]
        changed = question.relative_to(root).as_posix()
        for index in range(args.runs):
            timings = {
                "python -c pass (baseline)": lambda: run([str(python), "-c", "pass"], root, env),
                "qbank --version (baseline)": lambda: run([*qbank, "--version"], root, env),
            }
            for name, measure in timings.items():
                rows.setdefault(name, []).append(measure())
            change_stem(question, f"commit {index}")
            run(["git", "add", changed], root, env)
            rows.setdefault("git commit (hook included)", []).append(
                run(["git", "commit", "-qm", f"change {index}"], root, env)
            )
            change_stem(question, f"hook {index}")
            rows.setdefault("pre-commit run --files QUESTION", []).append(
                run([*pre_commit, "run", "--files", changed], root, env)
            )
            change_stem(question, f"lint {index}")
            rows.setdefault("qbank lint QUESTION", []).append(
                run([*qbank, "lint", changed], root, env)
            )
            rows.setdefault("qbank lint QUESTION, nothing new", []).append(
                run([*qbank, "lint", changed], root, env)
            )
            run(["git", "checkout", "-q", "--", changed], root, env)
        baseline = statistics.median(rows["qbank --version (baseline)"])
        width = max(map(len, rows))
        print(f"\nmedian of {args.runs} runs (min-max), {changed} changed, "
              f"bank of {len(questions)} questions:")  # fmt: skip
        for name, seconds in rows.items():
            middle = statistics.median(seconds)
            print(f"  {name:<{width}}  {middle:6.2f} s  ({min(seconds):.2f}-{max(seconds):.2f})"
                  f"  {middle / baseline:5.1f}x qbank --version")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
