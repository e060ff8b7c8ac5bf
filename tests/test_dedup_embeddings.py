"""Near-duplicates with the real bundled model: the labelled-set floor and the acceptance
story on a copy of the bundled bank. These are the slow tests (marker `embeddings`)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from ruamel.yaml import YAML

from qbank.dedup.conflicts import OPTION_COSINE, STEM_COSINE
from qbank.dedup.evaluate import (
    conflicts_predicted,
    cross_validate_learned,
    load_pairs,
    pair_features,
    predict_shipped,
    scores_of,
)
from qbank.dedup.settings import DedupSettings
from tests.conftest import DATA, REPO, Runner

pytestmark = pytest.mark.embeddings

# The floors of README's Near-duplicates table (issue 13 asked for 0.95 and 0.90: with
# all-MiniLM-L6-v2 the labelled set does not reach that recall; see the README). Measured:
# cross-validated 0.955 and 0.675, shipped on all pairs 0.969 and 0.675.
CROSS_VALIDATED = {"precision": 0.93, "recall": 0.65}
SHIPPED = {"precision": 0.95, "recall": 0.64}
CONFLICTS = {"precision": 0.80, "recall": 0.75}


def test_labelled_pairs_meet_the_cross_validated_floor() -> None:
    pairs = [p for p in load_pairs(DATA / "near-duplicates") if p.duplicate is not None]
    labels = np.array([bool(p.duplicate) for p in pairs])
    assert len(pairs) >= 500 and labels.sum() >= 200
    features = pair_features(pairs, DedupSettings(), REPO)
    predicted, _ = cross_validate_learned(features.learned, labels, pairs)
    held_out = scores_of(predicted, labels)
    assert held_out.precision >= CROSS_VALIDATED["precision"], held_out
    assert held_out.recall >= CROSS_VALIDATED["recall"], held_out
    shipped = scores_of(predict_shipped(features), labels)
    assert shipped.precision >= SHIPPED["precision"], shipped
    assert shipped.recall >= SHIPPED["recall"], shipped
    conflicts = np.array([bool(p.conflict) for p in pairs])
    found = scores_of(conflicts_predicted(features, (STEM_COSINE, OPTION_COSINE)), conflicts)
    assert found.precision >= CONFLICTS["precision"], found
    assert found.recall >= CONFLICTS["recall"], found


REWORDINGS = {"What should": "Which option should", "wants to": "would like to",
              "needs": "requires", "must": "has to", "company": "organisation"}  # fmt: skip


def _reword(stem: str) -> str:
    """Another author's version: the sentences in reverse order, a few words swapped."""
    sentences = re.split(r"(?<=[.?!])\s+", stem.strip())
    text = " ".join(reversed(sentences[:-1])) + " " + sentences[-1]
    for old, new in REWORDINGS.items():
        text = text.replace(old, new)
    return text


def _pair_ids(document: list[dict[str, Any]] | dict[str, Any]) -> set[frozenset[str]]:
    if isinstance(document, dict):  # qbank dedup --format json
        return {frozenset((p["first"]["id"], p["second"]["id"])) for p in document["pairs"]}
    found = set()
    for record in document:  # qbank lint --format json
        if record["code"] == "QB402":
            other = re.search(r"near-duplicate of (\S+) ", record["message"])
            assert other is not None
            found.add(frozenset((record["question_id"], other.group(1))))
    return found


def test_a_paraphrase_in_the_bundled_bank_is_reported_until_declared_distinct(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qbank: Runner
) -> None:
    shutil.copytree(REPO / "questions", tmp_path / "questions")
    (tmp_path / "qbank.toml").write_text('bank = "questions"\n')
    monkeypatch.chdir(tmp_path)
    yaml = YAML()
    yaml.width = 4096
    source, edited = sorted((tmp_path / "questions").rglob("pmle-*.yaml"))[:2]
    original, data = yaml.load(source.read_text()), yaml.load(edited.read_text())
    data["stem"] = _reword(str(original["stem"])) + "\n"
    data["options"] = list(reversed(original["options"]))
    data["type"], data["select"] = original["type"], original.get("select")
    if data["select"] is None:
        del data["select"]
    with edited.open("w") as stream:
        yaml.dump(data, stream)
    pair = frozenset((original["id"], data["id"]))

    assert pair in _pair_ids(json.loads(qbank("lint", "--format", "json").out))
    dedup = qbank("dedup", "--format", "json")
    assert dedup.code == 1 and pair in _pair_ids(json.loads(dedup.out))
    assert pair in _pair_ids(json.loads(qbank("dedup", "--format", "json", str(edited)).out))

    data["lint"] = {"distinct_from": [original["id"]]}
    with edited.open("w") as stream:
        yaml.dump(data, stream)
    assert pair not in _pair_ids(json.loads(qbank("lint", "--format", "json").out))
    assert pair not in _pair_ids(json.loads(qbank("dedup", "--format", "json").out))


@pytest.mark.parametrize("model", ["no-such-org/no-such-model", "./empty-model"])
def test_a_model_that_cannot_be_loaded_is_an_error(bank: Path, qbank: Runner, model: str) -> None:
    (bank / "empty-model").mkdir()
    (bank / "qbank.toml").write_text(f'bank = "questions"\n[dedup]\nmodel = "{model}"\n')
    for command in ("dedup", "lint"):
        result = qbank(command)
        assert result.code == 2, result
        assert result.err.startswith(f"qbank: error: cannot load embedding model '{model}':")
        assert len(result.err.strip().splitlines()) == 1
