"""QB402, QB406 and `qbank dedup` through the real CLI, with the stand-in encoder (no model)."""

from __future__ import annotations

import json
from pathlib import Path

from qbank.dedup.settings import DEFAULT_THRESHOLD
from tests.conftest import Runner
from tests.fakes import FakeEncoder

ORIGINAL = "questions/1-basics/t-1-1-001.yaml"
COPY = "questions/1-basics/t-1-1-002.yaml"
OTHER = "questions/2-more/t-2-1-001.yaml"
REWORDED_STEM = """stem: |
  A team wants to keep its sales records where they are, in BigQuery, while it trains a
  demand forecasting model on them. What should the team use?
"""


def _add_paraphrase(bank: Path, extra: str = "") -> None:
    """t-1-1-002: t-1-1-001 with its stem reworded (and `extra` lines appended)."""
    text = (bank / ORIGINAL).read_text()
    start, end = text.index("stem: |"), text.index("options:")
    text = text[:start] + REWORDED_STEM + text[end:]
    (bank / COPY).write_text(text.replace("id: t-1-1-001", "id: t-1-1-002") + extra)


def test_dedup_on_a_bank_without_duplicates(bank: Path, qbank: Runner) -> None:
    result = qbank("dedup")
    assert result.code == 0, result.err
    assert result.out == (
        "No near-duplicates among 3 questions (threshold 0.72, model all-MiniLM-L6-v2).\n"
    )


def test_dedup_lists_the_pair_and_its_cluster(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    result = qbank("dedup")
    assert result.code == 1
    lines = result.out.splitlines()
    similarity, rest = lines[0].split("  ", 1)
    assert DEFAULT_THRESHOLD <= float(similarity) <= 1.0  # QB402's probability
    assert rest == f"t-1-1-001 ({ORIGINAL})  ~  t-1-1-002 ({COPY})"
    assert "Clusters:" in lines and "  1. t-1-1-001, t-1-1-002 (max " in result.out
    assert lines[-1].startswith("Found 1 near-duplicate pair in 1 cluster among 4 questions")


def test_dedup_json_and_markdown(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    (bank / "questions/1-basics/t-1-1-003.yaml").write_text(
        (bank / COPY).read_text().replace("id: t-1-1-002", "id: t-1-1-003")
    )
    document = json.loads(qbank("dedup", "--format", "json", "--top", "2").out)
    assert document["total_pairs"] == 3 and len(document["pairs"]) == 2
    assert document["pairs"][0]["first"] == {"id": "t-1-1-002", "path": COPY}
    assert document["pairs"][0]["similarity"] >= document["pairs"][1]["similarity"]
    assert [m["id"] for m in document["clusters"][0]["members"]] == [
        "t-1-1-001", "t-1-1-002", "t-1-1-003"
    ]  # fmt: skip
    markdown = qbank("dedup", "--format", "markdown").out
    assert markdown.startswith("# Near-duplicates\n\nFound 3 near-duplicate pairs")
    assert f"| `t-1-1-001` | {ORIGINAL} | `t-1-1-002` | {COPY} |" in markdown


def test_dedup_with_paths_compares_only_those_questions(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    assert qbank("dedup", OTHER).code == 0
    result = qbank("dedup", COPY)
    assert result.code == 1 and f"t-1-1-001 ({ORIGINAL})  ~  t-1-1-002 ({COPY})" in result.out


def test_threshold_option_and_setting(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    # A paraphrase's probability comes close to 1 but does not reach it.
    assert qbank("dedup", "--threshold", "1").code == 0
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nthreshold = 1.0\n')
    assert qbank("dedup").code == 0
    assert qbank("dedup", "--threshold", "1.5").code == 2


def test_lint_warns_in_both_files_and_distinct_from_silences(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    result = qbank("lint")
    assert result.code == 0  # a warning
    warnings = [line for line in result.out.splitlines() if "QB402" in line]
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{ORIGINAL}:6:7: QB402 [warning] t-1-1-001 is a near-duplicate "
                                  f"of t-1-1-002 ({COPY}): similarity ")  # fmt: skip
    assert warnings[1].startswith(f"{COPY}:6:7: QB402 [warning] t-1-1-002 is a near-duplicate")
    assert qbank("lint", "--strict").code == 1
    _add_paraphrase(bank, extra="lint:\n  distinct_from: [t-1-1-001]\n")
    assert "QB402" not in qbank("lint").out
    assert qbank("dedup").code == 0


def test_lint_result_cache_follows_the_dedup_settings(bank: Path, qbank: Runner) -> None:
    _add_paraphrase(bank)
    assert "QB402" in qbank("lint").out
    assert "QB402" in qbank("lint").out  # from the result cache
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nthreshold = 1.0\n')
    assert "QB402" not in qbank("lint").out


def test_a_changed_question_re_embeds_only_its_changed_text(
    bank: Path, qbank: Runner, fake_encoder: FakeEncoder
) -> None:
    qbank("dedup")
    assert len(fake_encoder.encoded) == 3 + 4 + 5 + 4  # each stem and each option
    fake_encoder.encoded.clear()
    assert qbank("dedup").code == 0 and fake_encoder.encoded == []
    (bank / OTHER).write_text((bank / OTHER).read_text().replace("stem: |\n", "stem: |\n  Now, "))
    qbank("lint")
    assert len(fake_encoder.encoded) == 1 and fake_encoder.encoded[0].startswith("Now, ")


def test_no_cache_writes_no_embeddings(bank: Path, qbank: Runner) -> None:
    assert qbank("dedup", "--no-cache").code == 0
    assert qbank("lint", "--no-cache").code == 0
    assert not list(bank.glob(".qbank_cache/embeddings-*.npz"))
    qbank("dedup")
    assert len(list(bank.glob(".qbank_cache/embeddings-*.npz"))) == 1


def test_a_corrupt_embedding_cache_is_discarded_with_a_note(bank: Path, qbank: Runner) -> None:
    qbank("dedup")
    (cache_file,) = bank.glob(".qbank_cache/embeddings-*.npz")
    cache_file.write_bytes(b"PK\x03\x04 truncated")
    result = qbank("dedup")
    assert result.code == 0
    assert f"qbank: note: embedding cache {cache_file} discarded: unreadable" in result.err
    cache_file.write_bytes(b"garbage")
    result = qbank("lint")
    assert result.code == 0 and "discarded: unreadable" in result.err
    assert qbank("dedup").err == ""  # rewritten whole


def test_configuration_errors_exit_2(bank: Path, qbank: Runner) -> None:
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nmodle = "x"\n')
    for command in ("lint", "dedup"):
        result = qbank(command)
        assert result.code == 2
        assert "[dedup] has no setting 'modle' (did you mean \"model\"?)" in result.err
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nmodel = "./models/none"\n')
    result = qbank("dedup")
    assert result.code == 2
    assert result.err.startswith("qbank: error: embedding model folder not found:")


def test_qb402_is_listed_with_its_documentation(qbank: Runner) -> None:
    listing = qbank("rules").out
    assert "QB402  near-duplicate" in listing and "warning" in listing
    assert "## What it does" in qbank("rules", "QB402").out


def _move_key(bank: Path, extra: str = "") -> None:
    """t-1-1-002: t-1-1-001 with its key on the option that follows it."""
    text = (bank / ORIGINAL).read_text().replace("id: t-1-1-001", "id: t-1-1-002")
    lines = text.splitlines(keepends=True)
    marked = next(i for i, line in enumerate(lines) if line.strip() == "correct: true")
    del lines[marked]
    following = next(i for i in range(marked, len(lines)) if lines[i].startswith("  - text:"))
    lines.insert(following + 1, "    correct: true\n")
    (bank / COPY).write_text("".join(lines) + extra)


def test_lint_reports_conflicting_keys_as_errors_not_as_near_duplicates(
    bank: Path, qbank: Runner
) -> None:
    _move_key(bank)
    result = qbank("lint")
    assert result.code == 1
    errors = [line for line in result.out.splitlines() if "QB406" in line]
    assert len(errors) == 2, result.out
    assert errors[0].startswith(f"{ORIGINAL}:")
    assert f"QB406 [error] t-1-1-001 and t-1-1-002 ({COPY}) ask the same question with " \
           "different keys: " in errors[0]  # fmt: skip
    assert errors[1].startswith(f"{COPY}:") and "t-1-1-002 and t-1-1-001" in errors[1]
    assert "QB402" not in result.out
    assert "QB401" in result.out  # same stem and options: also an exact copy
    _move_key(bank, extra="lint:\n  distinct_from: [t-1-1-001]\n")
    assert "QB406" not in qbank("lint").out


def test_qb406_is_listed_with_its_documentation(qbank: Runner) -> None:
    assert "QB406  conflicting-key" in qbank("rules").out
    assert "## Why it matters" in qbank("rules", "QB406").out
