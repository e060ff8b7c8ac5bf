"""A lint's problems are the same whether they come from a cold run, the stored result, or a
run that reuses the cache after one file changed (and changed back): a stale per-question
summary or cached check would show as a difference, bank-wide rules included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tomli_w

from tests.conftest import PMLE_RULES, REPO, Runner

# Every bank-wide rule whose result a stale summary could change, planted below.
BANK_RULES = {"QB004", "QB005", "QB401", "QB402", "QB403", "QB404", "QB405", "QB406", "QB407"}


def _copy_as(source: str, folder: str, new_id: str, edit: tuple[str, str] | None = None) -> Path:
    original = next(Path("questions").rglob(f"{source}.yaml"))
    text = original.read_text("utf-8").replace(f"id: {source}", f"id: {new_id}")
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit)
    target = Path("questions") / folder / f"{new_id}.yaml"
    target.write_text(text, "utf-8")
    return target


@pytest.fixture
def planted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled bank with a copy under the same id, a copy with another key and a reworded
    copy; QB403, QB404, QB405 and QB407 made strict enough to report on it."""
    shutil.copytree(REPO / "questions", tmp_path / "questions")
    cues = {"strategies": ["longest"], "margin": -100.0, "alpha": 2.0}
    rules = {**PMLE_RULES, "domain-weight-drift": {"tolerance": 0.5}, "answer-cues": cues,
             "empty-subsection": {"min_per_subsection": 12},
             "answer-position-bias": {"min_questions": 1, "p_value": 2.0}}  # fmt: skip
    (tmp_path / "qbank.toml").write_text(tomli_w.dumps({"bank": "questions", "rules": rules}))
    monkeypatch.chdir(tmp_path)
    for fixed in ("pmle-2-2-004", "pmle-4-1-002"):  # QB405 counts questions not shuffled
        path = next(Path("questions").rglob(f"{fixed}.yaml"))
        path.write_text(path.read_text("utf-8") + "shuffle: false\n", "utf-8")
    copy = next(Path("questions").rglob("pmle-1-3-006.yaml")).read_text("utf-8")
    (tmp_path / "questions" / "5-pipelines" / "pmle-5-9-001.yaml").write_text(copy, "utf-8")
    _copy_as("pmle-1-3-006", "1-low-code-ml", "pmle-1-3-901", (
        "  - text: \"Keep the default `minimize-rmse` objective and add a fixed 10% margin to "
        "every point forecast.\"\n",
        "  - text: \"Keep the default `minimize-rmse` objective and add a fixed 10% margin to "
        "every point forecast.\"\n    correct: true\n",
    ))  # fmt: skip
    return tmp_path


def _problems(qbank: Runner, *args: str) -> list[dict[str, object]]:
    result = qbank("lint", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    problems: list[dict[str, object]] = json.loads(result.out)
    return problems


def _same_as_cold(qbank: Runner) -> list[dict[str, object]]:
    """The problems of a run that may use the cache, checked against a run that does not."""
    cached = _problems(qbank)
    assert cached == _problems(qbank, "--no-cache")
    return cached


def test_cached_warm_and_one_file_changed_runs_match_a_cold_run(
    planted: Path, qbank: Runner
) -> None:
    reworded = _copy_as("pmle-1-3-006", "1-low-code-ml", "pmle-1-3-902", (
        "Planners at a hardware chain set safety stock",
        "Planners at a DIY retailer set buffer stock",
    ))  # fmt: skip
    first = _same_as_cold(qbank)
    assert {problem["code"] for problem in first} >= BANK_RULES
    assert _same_as_cold(qbank) == first  # warm: the stored result
    original = reworded.read_text("utf-8")
    reworded.write_text(original.replace("id: pmle-1-3-902", "id: pmle-5-9-001"), "utf-8")
    changed = _same_as_cold(qbank)
    assert changed != first
    reworded.write_text(original, "utf-8")
    assert _same_as_cold(qbank) == first
    # One file judged within the bank (what pre-commit passes) from the same cache.
    target = "questions/5-pipelines/pmle-5-9-001.yaml"
    assert _problems(qbank, target) == _problems(qbank, "--no-cache", target)


def test_malformed_cached_summaries_are_recomputed(planted: Path, qbank: Runner) -> None:
    cold = _problems(qbank, "--no-cache")
    assert _problems(qbank) == cold
    shards = sorted((planted / ".qbank_cache").glob("parsed-*.json"))
    assert len(shards) > 1
    for parsed in shards:
        document = json.loads(parsed.read_text())
        summaries = [e["summaries"] for e in document["entries"].values() if "summaries" in e]
        assert summaries and all({"QB401", "QB407"} <= set(s["values"]) for s in summaries)
        for summary in summaries:
            summary["values"] = {"QB401": 7, "QB407": {"longest": [1, 2]}}
        parsed.write_text(json.dumps(document))
    (planted / ".qbank_cache" / "lint-results.json").unlink()
    assert _problems(qbank) == cold


def test_one_changed_file_rewrites_one_shard_of_the_parse_cache(
    planted: Path, qbank: Runner
) -> None:
    qbank("lint")
    shards = sorted((planted / ".qbank_cache").glob("parsed-*.json"))
    unsharded = planted / ".qbank_cache" / "parsed.json"  # what earlier versions wrote
    unsharded.write_text("{}")
    before = {shard: shard.stat().st_mtime_ns for shard in shards}
    changed = next(Path("questions").rglob("pmle-1-3-006.yaml"))
    changed.write_text(changed.read_text("utf-8").replace("medium", "hard", 1), "utf-8")
    qbank("lint")
    rewritten = [shard for shard in shards if shard.stat().st_mtime_ns != before[shard]]
    # The new content's shard, and the shard the old content is dropped from.
    assert 1 <= len(rewritten) <= 2
    assert not unsharded.exists()


def _checked_keys(project: Path) -> set[str]:
    keys = set()
    for shard in (project / ".qbank_cache").glob("parsed-*.json"):
        keys |= {e["summaries"]["key"] for e in json.loads(shard.read_text())["entries"].values()}
    return keys


def test_a_configuration_change_renews_every_cached_check(planted: Path, qbank: Runner) -> None:
    """Entries checked under other settings are parsed and checked again once (in the
    loader's workers), not re-checked in the main process on every later run."""
    qbank("lint")
    (before,) = _checked_keys(planted)
    config = planted / "qbank.toml"
    config.write_text(config.read_text().replace("tolerance = 0.5", "tolerance = 0.6"))
    cold = _problems(qbank, "--no-cache")
    assert _problems(qbank) == cold
    (after,) = _checked_keys(planted)
    assert after != before


def test_a_result_stored_by_other_qbank_code_is_not_reused(
    planted: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version string stays the same between commits: the code's identity keys the
    stored result and the parse cache, so an upgrade or an edit to qbank re-checks."""
    cold = _problems(qbank, "--no-cache")
    assert _problems(qbank) == cold
    stored = planted / ".qbank_cache" / "lint-results.json"
    document = json.loads(stored.read_text())
    document["entries"]["last"]["problems"] = document["entries"]["last"]["problems"][:1]
    stored.write_text(json.dumps(document))
    assert len(_problems(qbank)) == 1  # the same code reuses what it stored
    monkeypatch.setattr("qbank.lint.code_identity", lambda: "0.1.0+other-code")
    monkeypatch.setattr("qbank.cache.code_identity", lambda: "0.1.0+other-code")
    assert _problems(qbank) == cold


def test_the_code_identity_changes_when_a_module_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qbank.code_identity as identity

    (tmp_path / "sub").mkdir()
    (tmp_path / "rule.py").write_text("CODE = 'QB1'\n")
    (tmp_path / "sub" / "other.py").write_text("\n")
    monkeypatch.setattr(identity, "PACKAGE", tmp_path)
    before = identity.code_identity.__wrapped__()
    assert before == identity.code_identity.__wrapped__()
    (tmp_path / "sub" / "other.py").write_text("X = 1\n")
    assert identity.code_identity.__wrapped__() != before


def test_one_file_changed_parses_one_file_and_validates_no_record(
    planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the changed file is parsed; every question is judged from its outline, with no
    data or record, unless a rule that reads the text (QB402) asks the bank for records."""
    from qbank.config import load_config
    from qbank.lint import lint
    from qbank.load import bank as loader

    parsed: list[str] = []
    parse = loader._parse

    def counting(index: int) -> loader.ParseResult:
        parsed.append(loader._SOURCES[index].display)
        return parse(index)

    monkeypatch.setattr(loader, "_parse", counting)  # the bank is too small for workers
    config = load_config()
    lint([], config, ignore=["QB402", "QB406"])
    changed = next(Path("questions").rglob("pmle-2-1-003.yaml"))
    changed.write_text(changed.read_text("utf-8") + "# edited\n", "utf-8")
    parsed.clear()
    result = lint([], config, ignore=["QB402", "QB406"])
    assert result.bank is not None
    assert parsed == [str(changed)]
    assert all(file.outline is not None for file in result.bank.files)
    assert all(file.data is None and file.record is None for file in result.bank.files)

    with_records = lint([], config, select=["QB402"])  # reads every question's text
    assert with_records.bank is not None
    assert all(file.record is not None for file in with_records.bank.files if file.valid)


def test_a_damaged_outline_is_loaded_in_full() -> None:
    from qbank.models.outline import Outline

    outline = Outline("q-1", "1.1", "single", None, "easy", "draft", True, ["t"], 4, [2], [])
    assert Outline.from_json(outline.to_json()) == outline
    assert Outline.from_json(json.loads(json.dumps(outline.to_json()))) == outline
    for damaged in (None, {}, outline.to_json()[:-1], [*outline.to_json()[:8], "4", [2], []],
                    [*outline.to_json()[:9], ["2"], []]):  # fmt: skip
        assert Outline.from_json(damaged) is None


def test_a_question_showing_an_image_is_checked_again_when_the_image_goes(
    planted: Path, qbank: Runner
) -> None:
    """The image is not part of the question file's content: a cached check would go stale."""
    question = next(Path("questions").rglob("pmle-2-1-003.yaml"))
    (question.parent / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = question.read_text("utf-8").replace(
        "stem: |\n", "stem: |\n  ![A chart](chart.png)\n\n", 1
    )
    question.write_text(text, "utf-8")
    assert not [p for p in _problems(qbank, str(question)) if "chart.png" in str(p["message"])]
    (question.parent / "chart.png").unlink()
    found = [p for p in _same_as_cold(qbank) if "chart.png" in str(p["message"])]
    assert [p["code"] for p in found] == ["QB305"]


def test_the_result_of_a_cold_run_is_reused_by_the_next_run(planted: Path) -> None:
    """A cold run lets the loader hash the files it reads; the key it stores must be the
    one the next run computes from the hashes it reads first (a file it cannot read too)."""
    from qbank.config import load_config
    from qbank.lint import lint

    (Path("questions") / "1-low-code-ml" / "huge.yaml").write_bytes(b"a: b\n" * 300_000)
    config = load_config()
    cold = lint([], config, ignore=["QB402", "QB406"])
    assert cold.bank is not None  # linted
    assert any(p.path.endswith("huge.yaml") and p.code == "QB002" for p in cold.problems)
    warm = lint([], config, ignore=["QB402", "QB406"])
    assert warm.bank is None  # the stored result, as it was
    assert warm.problems == cold.problems
