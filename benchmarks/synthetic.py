"""Write a synthetic bank of N questions (about 4 KB each) with the bundled exam guide."""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import cast

REPO = Path(__file__).resolve().parent.parent
WORDS = [
    "model",
    "data",
    "pipeline",
    "vertex",
    "training",
    "serving",
    "feature",
    "latency",
    "cost",
    "endpoint",
    "batch",
    "online",
    "drift",
    "skew",
    "monitoring",
    "bigquery",
    "dataflow",
    "tensor",
    "accelerator",
    "scaling",
    "replica",
    "metric",
    "team",
    "retailer",
    "customer",
    "forecast",
    "label",
    "schema",
    "registry",
    "version",
    "artifact",
    "lineage",
    "notebook",
]
SUBSECTIONS = {"1": ["1.1", "1.2", "1.3"], "2": ["2.1", "2.2", "2.3"], "3": ["3.1", "3.2", "3.3"],
               "4": ["4.1", "4.2"], "5": ["5.1", "5.2", "5.3"], "6": ["6.1", "6.2"]}  # fmt: skip
WEIGHTS = {"1": 12, "2": 16, "3": 18, "4": 19, "5": 21, "6": 14}
# 100 slots in the bundled guide's proportions, so a synthetic bank passes the weight check.
DOMAINS = [
    SUBSECTIONS[section][slot % len(SUBSECTIONS[section])]
    for section, weight in WEIGHTS.items()
    for slot in range(weight)
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def question(rng: random.Random, index: int) -> str:
    qid = f"syn-{index:06d}"
    options = "".join(
        f"  - text: {sentence(rng, 12)}\n"
        + ("    correct: true\n" if position == 0 else "")
        + f"    rationale: {sentence(rng, 40)}\n"
        for position in range(4)
    )
    stem = "\n".join(f"  {sentence(rng, 30)}" for _ in range(3))
    explanation = "\n".join(f"  {sentence(rng, 90)}" for _ in range(2))
    return (
        f'id: {qid}\ndomain: "{DOMAINS[index % len(DOMAINS)]}"\ntype: single\n'
        f"difficulty: medium\nstatus: published\nstem: |\n{stem}\noptions:\n{options}"
        f"explanation: |\n{explanation}\nreferences:\n"
        "  - https://cloud.google.com/vertex-ai/docs/general/deployment\n"
        "tags: [vertex-ai, serving]\n"
    )


def write_bank(folder: Path, count: int, seed: int = 7) -> Path:
    """A bank folder with `count` questions and exam-guide.yaml; returns the folder."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(REPO / "questions" / "exam-guide.yaml", folder / "exam-guide.yaml")
    for index in range(count):
        sub = folder / f"part-{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"syn-{index:06d}.yaml").write_text(question(rng, index), "utf-8")
    return folder


def write_project(root: Path, count: int) -> Path:
    """A project folder: a synthetic bank of `count` questions and a qbank.toml naming it."""
    bank = write_bank(root / "questions", count)
    (root / "qbank.toml").write_text('bank = "questions"\n')
    size = sum(p.stat().st_size for p in bank.rglob("*.yaml")) / 1e6
    print(f"synthetic bank: {count} questions, {size:.1f} MB of YAML")
    return bank


def timed(
    command: list[str], cwd: Path, allowed: tuple[int, ...] = (0,), quiet: bool = False
) -> float:
    """Wall-clock seconds of one run of `command` (which must exit with an allowed code);
    `quiet` discards its stderr too."""
    started = time.perf_counter()
    stderr = subprocess.DEVNULL if quiet else None
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
    if done.returncode not in allowed:
        raise subprocess.CalledProcessError(done.returncode, command)
    return time.perf_counter() - started


def cpu_timed(command: list[str], cwd: Path) -> float:
    """CPU seconds (user + system) of one run of `command`: steadier than wall-clock time on
    a machine that other jobs share."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def print_rows(rows: list[tuple[str, float, str]], unit: str = "s") -> None:
    """A benchmark's table: name, seconds, and a note (the ratio to its baseline)."""
    width = max(len(name) for name, _, _ in rows)
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:7.2f} {unit}  {note}")


def bank_vocabulary() -> list[str]:
    """The words of the bundled bank's stems and options (realistic texts to embed)."""
    import re

    import yaml

    words: list[str] = []
    for path in sorted((REPO / "questions").rglob("pmle-*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        texts = [data["stem"], *(option["text"] for option in data["options"])]
        words.extend(re.findall(r"[A-Za-z][A-Za-z-]*", " ".join(texts)))
    return words


def realistic_question(rng: random.Random, index: int, words: list[str]) -> dict[str, object]:
    """Lengths as in the bundled bank: a stem of 60-120 words, four options of 8-25 words."""

    def text(low: int, high: int) -> str:
        start = rng.randrange(len(words) - high)
        return " ".join(words[start : start + rng.randint(low, high)]).capitalize() + "."

    options: list[dict[str, object]] = [{"text": text(8, 25)} for _ in range(4)]
    options[rng.randrange(4)]["correct"] = True
    return {"id": f"real-{index:05d}", "domain": DOMAINS[index % len(DOMAINS)], "type": "single",
            "difficulty": "medium", "status": "published", "stem": text(60, 120),
            "options": options, "explanation": text(40, 80)}  # fmt: skip


def realistic_texts(count: int, seed: int = 11) -> list[str]:
    """The distinct texts qbank embeds (each stem and option, Markdown stripped) of `count`
    realistic questions."""
    from qbank.dedup.text import question_text

    rng, words = random.Random(seed), bank_vocabulary()
    texts = []
    for index in range(count):
        data = realistic_question(rng, index, words)
        listed = cast(list[dict[str, object]], data["options"])
        options = [(str(option["text"]), bool(option.get("correct"))) for option in listed]
        texts.extend(question_text(str(data["stem"]), options).texts)
    return list(dict.fromkeys(texts))


def write_realistic_project(root: Path, count: int, seed: int = 11) -> Path:
    """A project of `count` questions with realistic lengths; every 25th question is a
    reworded copy of the one before (a planted near-duplicate)."""
    import copy

    import yaml

    rng = random.Random(seed)
    words = bank_vocabulary()
    bank = root / "questions"
    if bank.exists():
        shutil.rmtree(bank)
    bank.mkdir(parents=True)
    shutil.copy(REPO / "questions" / "exam-guide.yaml", bank / "exam-guide.yaml")
    previous: dict[str, object] = {}
    for index in range(count):
        if index % 25 == 24:
            data = copy.deepcopy(previous)
            stem = str(data["stem"]).split()
            for _ in range(4):
                stem[rng.randrange(len(stem))] = rng.choice(words)
            data.update(id=f"real-{index:05d}", stem=" ".join(stem), domain=DOMAINS[index % 100])
        else:
            data = realistic_question(rng, index, words)
        previous = data
        (bank / f"real-{index:05d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (root / "qbank.toml").write_text('bank = "questions"\n')
    return bank
