"""The dedup building blocks without the model: settings, search, clusters, cache, texts,
scoring, conflicts and the labelled-set format."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from qbank.config import Config
from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.clusters import clusters
from qbank.dedup.conflicts import align, is_conflict
from qbank.dedup.evaluate import fit_logistic, load_pairs
from qbank.dedup.features import NEIGHBOUR_PRIOR, NEIGHBOURS, greedy_match, neighbour_means
from qbank.dedup.model import resolve_model
from qbank.dedup.onnx_encoder import length_batches
from qbank.dedup.scoring import Weights, combine, key_matches, keys_disagree, part_cosines
from qbank.dedup.search import Pair, similar_pairs
from qbank.dedup.settings import DEFAULT_MODEL, DEFAULT_THRESHOLD, DedupSettings
from qbank.dedup.text import question_text, text_key
from qbank.dedup.vectors import QuestionVectors, embed_questions
from qbank.errors import QbankError


def _config(tmp_path: Path, dedup: dict[str, object]) -> Config:
    return Config(root=tmp_path, bank=tmp_path, exam_guide=tmp_path / "g.yaml", dedup=dedup,
                  source=tmp_path / "qbank.toml")  # fmt: skip


def test_settings_defaults_and_values(tmp_path: Path) -> None:
    assert DedupSettings.from_config(_config(tmp_path, {})).threshold == DEFAULT_THRESHOLD
    chosen = DedupSettings.from_config(_config(tmp_path, {"threshold": 0.9, "batch_size": 8}))
    assert (chosen.threshold, chosen.batch_size) == (0.9, 8)


@pytest.mark.parametrize(
    ("dedup", "message"),
    [
        ({"treshold": 0.8}, "[dedup] has no setting 'treshold' (did you mean \"threshold\"?)"),
        ({"threshold": 1.5}, "'threshold' must be above 0 and at most 1"),
        ({"threshold": "high"}, "'threshold' must be a number"),
        ({"batch_size": 0}, "'batch_size' must be a whole number of at least 1"),
        ({"top_k": True}, "'top_k' must be a whole number"),
        ({"model": ""}, "'model' must be a model name or a path"),
    ],
)
def test_settings_errors_are_clear(tmp_path: Path, dedup: dict[str, object], message: str) -> None:
    with pytest.raises(QbankError, match=None) as caught:
        DedupSettings.from_config(_config(tmp_path, dedup))
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "qbank.toml"))


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _brute_force(vectors: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    scores = vectors @ vectors.T
    return {(i, j) for i in range(len(vectors)) for j in range(i + 1, len(vectors))
            if scores[i, j] >= threshold}  # fmt: skip


def _planted(count: int = 300, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(count, 32))
    for first, second in ((5, 250), (17, 18), (40, 41), (40, 299)):
        vectors[second] = vectors[first] + rng.normal(scale=0.2, size=32)
    return _unit(vectors)


def test_chunked_search_equals_brute_force_in_every_block_size() -> None:
    vectors = _planted()
    expected = _brute_force(vectors, 0.8)
    assert (5, 250) in expected and len(expected) >= 4
    for budget in (4 * 300, 4 * 300 * 7, 10**9):  # one row, seven rows, all rows per block
        found = similar_pairs(vectors, 0.8, top_k=10, budget_bytes=budget)
        assert {(p.first, p.second) for p in found} == expected
        assert [p.similarity for p in found] == sorted((p.similarity for p in found), reverse=True)


def test_query_rows_find_only_their_pairs() -> None:
    vectors = _planted()
    found = similar_pairs(vectors, 0.8, top_k=10, queries=[299, 18], budget_bytes=4 * 300)
    assert {(p.first, p.second) for p in found} == {(40, 299), (17, 18)} | (
        {(41, 299)} & _brute_force(vectors, 0.8)
    )


def test_the_index_finds_the_planted_pairs_with_exact_scores() -> None:
    vectors = _planted()
    exact = similar_pairs(vectors, 0.8, top_k=10, exact=True)
    indexed = similar_pairs(vectors, 0.8, top_k=10, exact=False)
    assert [(p.first, p.second) for p in indexed] == [(p.first, p.second) for p in exact]
    for a, b in zip(indexed, exact, strict=True):
        assert a.similarity == pytest.approx(b.similarity, abs=1e-5)
    queried = similar_pairs(vectors, 0.8, top_k=10, queries=[250])
    assert [(p.first, p.second) for p in queried] == [(5, 250)]


def test_top_k_bounds_the_pairs_each_row_adds() -> None:
    rng = np.random.default_rng(1)
    centre = rng.normal(size=16)
    vectors = _unit(np.stack([centre + rng.normal(scale=0.05, size=16) for _ in range(8)]))
    every = _brute_force(vectors, 0.5)
    assert len(every) == 28
    for exact in (True, False):
        assert {(p.first, p.second) for p in similar_pairs(vectors, 0.5, 8, exact=exact)} == every
        bounded = {(p.first, p.second) for p in similar_pairs(vectors, 0.5, 1, exact=exact)}
        assert bounded < every and len(bounded) <= len(vectors)


def test_identical_vectors_and_tiny_inputs() -> None:
    same = _unit(np.ones((3, 8)))
    found = similar_pairs(same, 0.9, 5)
    assert [(p.first, p.second) for p in found] == [(0, 1), (0, 2), (1, 2)]
    assert all(p.similarity == pytest.approx(1.0) and p.similarity <= 1.0 for p in found)
    assert similar_pairs(same[:1], 0.5, 5) == []
    assert similar_pairs(np.zeros((0, 8), dtype=np.float32), 0.5, 5) == []


def test_length_batches_go_longest_first_within_both_limits() -> None:
    lengths = [12, 130, 7, 130, 40, 300, 9, 41, 128, 12, 5, 66]
    batches = length_batches(lengths, batch_size=4, tokens=256)
    rows = [row for batch in batches for row in batch]
    assert sorted(rows) == list(range(len(lengths)))  # every row once
    assert [lengths[row] for row in rows] == sorted(lengths, reverse=True)
    for batch in batches:
        padded = len(batch) * lengths[batch[0]]
        assert len(batch) <= 4 and (padded <= 256 or len(batch) == 1), batch
    # 300 alone (over the limit); 130 + 130 pad to 260; 128 + 66 to 256; then 4 rows at most
    assert [len(batch) for batch in batches] == [1, 1, 1, 2, 4, 3]
    # Without a token limit: slices of batch_size, as before (former_encoder).
    plain = length_batches(lengths, batch_size=5, tokens=None)
    assert [len(batch) for batch in plain] == [5, 5, 2] and [
        *plain[0],
        *plain[1],
        *plain[2],
    ] == rows
    assert length_batches([], 4, 256) == []


def test_clusters_are_connected_groups() -> None:
    pairs = [Pair(1, 2, 0.9), Pair(2, 7, 0.8), Pair(4, 5, 0.95)]
    found = clusters(pairs)
    assert [(c.members, c.max_similarity) for c in found] == [((1, 2, 7), 0.9), ((4, 5), 0.95)]


def test_texts_strip_markdown_and_keep_each_option() -> None:
    found = question_text("Which **service**\n  trains `CREATE MODEL`?",
                          [("*BigQuery ML*", True), ("Dataproc", False)])  # fmt: skip
    assert found.texts == ["Which service trains CREATE MODEL?", "BigQuery ML", "Dataproc"]
    assert found.key == ("BigQuery ML",) and found.correct == (True, False)


Option = tuple[list[float], bool]


def _vectors(*questions: list[Option], stems: list[list[float]]) -> QuestionVectors:
    """Question vectors from option vectors given by hand (made unit length)."""
    rows = [_unit(np.array([vector]))[0] for q in questions for vector, _ in q]
    correct = np.array([flag for q in questions for _, flag in q])
    starts = np.concatenate([[0], np.cumsum([len(q) for q in questions])])
    options = np.array(rows, dtype=np.float32)

    def mean(chosen: np.ndarray, of: int) -> np.ndarray:
        span = slice(starts[of], starts[of + 1])
        picked = options[span][chosen[span]]
        return _unit(picked.sum(axis=0, keepdims=True))[0] if len(picked) else np.zeros(3)

    return QuestionVectors(
        stems=_unit(np.array(stems, dtype=np.float64)),
        keys=np.array([mean(correct, i) for i in range(len(questions))], dtype=np.float32),
        distractors=np.array([mean(~correct, i) for i in range(len(questions))], dtype=np.float32),
        options=options, starts=starts, correct=correct,
    )  # fmt: skip


X, Y, Z, W = [1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [1.0, 1.0, 0]


def test_combined_vectors_give_the_weighted_cosine() -> None:
    vectors = _vectors([(X, True), (Y, False)], [(W, True), (Z, False)], stems=[X, W])
    weights = Weights(0.3, 0.4, 0.3)
    combined = combine(vectors, weights)
    expected = np.dot(weights, part_cosines(vectors, 0, 1))
    assert float(combined[0] @ combined[1]) == pytest.approx(float(expected), abs=1e-6)
    assert float(np.linalg.norm(combined[0])) == pytest.approx(1.0, abs=1e-6)


def test_keys_disagree_when_one_key_is_the_others_distractor() -> None:
    moved = _vectors([(X, True), (Y, False), (Z, False)], [(X, False), (Y, True), (Z, False)],
                     stems=[X, X])  # fmt: skip
    assert keys_disagree(key_matches(moved, 0, 1))
    same_key = _vectors([(X, True), (Y, False)], [(X, True), (Z, False)], stems=[X, X])
    assert not keys_disagree(key_matches(same_key, 0, 1))
    loosely_related = _vectors([(X, True), (Y, False)], [(Z, True), ([1.0, 2.0, 0], False)],
                               stems=[X, X])  # fmt: skip
    # X is nearer the other's distractor than its key Z, but at a cosine of 0.45 only.
    assert not keys_disagree(key_matches(loosely_related, 0, 1))


def test_conflict_needs_the_same_stem_the_same_options_and_another_key() -> None:
    moved = _vectors([(X, True), (Y, False), (Z, False)], [(Z, False), (X, False), (Y, True)],
                     stems=[X, X])  # fmt: skip
    assert is_conflict(align(moved, 0, 1))
    kept = _vectors([(X, True), (Y, False)], [(Y, False), (X, True)], stems=[X, X])
    assert align(kept, 0, 1) is not None and not is_conflict(align(kept, 0, 1))
    other_stem = _vectors([(X, True), (Y, False)], [(X, False), (Y, True)], stems=[X, Y])
    assert not is_conflict(align(other_stem, 0, 1))
    other_options = _vectors([(X, True), (Y, False)], [(X, False), (Z, True)], stems=[X, X])
    assert not is_conflict(align(other_options, 0, 1))
    fewer_options = _vectors([(X, True), (Y, False), (Z, False)], [(X, False), (Y, True)],
                             stems=[X, X])  # fmt: skip
    assert align(fewer_options, 0, 1) is None


def test_question_vectors_are_option_means(fake_encoder: object) -> None:
    from tests.fakes import fake_vector

    texts = [
        question_text("Stem one?", [("alpha beta", True), ("gamma", False), ("delta", False)]),
        question_text("Stem two?", [("alpha", True), ("beta", True), ("gamma", False)]),
    ]
    vectors = embed_questions(texts, resolve_model(DEFAULT_MODEL, Path(".")),
                              EmbeddingCache(None, "fake"), 8)  # fmt: skip
    assert vectors.options.shape == (6, 64) and vectors.starts.tolist() == [0, 3, 6]
    assert np.allclose(vectors.stems[1], fake_vector("Stem two?"))
    assert np.allclose(vectors.options_of(1)[0][1], fake_vector("beta"))
    both = fake_vector("alpha") + fake_vector("beta")
    assert np.allclose(vectors.keys[1], both / np.linalg.norm(both), atol=1e-6)
    two = fake_vector("gamma") + fake_vector("delta")
    assert np.allclose(vectors.distractors[0], two / np.linalg.norm(two), atol=1e-6)


LABELLED = """
subject: demo
groups:
  - topic: one
    base: {stem: A?, key: [a], distractors: [b]}
    duplicates: [{kind: paraphrase, stem: A again?, key: [a], distractors: [c]},
                 {kind: terse, stem: A!, key: [a], distractors: [d]}]
    negatives: [{kind: opposite, stem: Not A?, key: [b], distractors: [a]}]
    conflicts: [{kind: key-moved, stem: A?, key: [b], distractors: [a]}]
  - topic: two
    base: {stem: B?, key: [x], distractors: [y]}
    duplicates: [{kind: paraphrase, stem: B again?, key: [x], distractors: [y]}]
    negatives: [{kind: template, stem: C?, key: [y], distractors: [x]}]
"""


def test_labelled_pairs_within_and_across_groups(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(LABELLED)
    (tmp_path / "across-groups.yaml").write_text(
        "same:\n  - {subject: demo, questions: [one/negatives/0, two]}\n"
    )
    pairs = load_pairs(tmp_path)
    within = [p for p in pairs if p.group == p.other_group]
    assert sum(p.duplicate is True for p in within) == 3 + 1  # base, dup, dup; base, dup
    assert [p.kind for p in within if p.conflict] == ["conflicting-key"]
    assert sum(p.duplicate is None for p in within) == 2  # duplicates ~ conflict
    across = [p for p in pairs if p.group != p.other_group]
    assert len(across) == 5 * 3  # 5 questions of group one x 3 of group two
    assert [(p.first.stem, p.second.stem) for p in across if p.duplicate] == [
        ("Not A?", "B?"), ("Not A?", "B again?")
    ]  # fmt: skip
    assert {p.kind for p in across} == {"across-groups", "other-group"}


def test_cache_round_trip_keeps_keys_with_trailing_zero_bytes(tmp_path: Path) -> None:
    keys = [b"a" * 15 + b"\0", text_key("x"), text_key("y")]
    vectors = _unit(np.random.default_rng(2).normal(size=(3, 4)))
    cache = EmbeddingCache(tmp_path, "model-a")
    cache.put(keys, vectors)
    cache.get(keys)
    cache.save()
    again = EmbeddingCache(tmp_path, "model-a")
    assert again.missing(keys) == [] and again.notes == []
    assert np.array_equal(again.get(keys), vectors)


def _write_cache_then(tmp_path: Path, damage: bytes | None) -> EmbeddingCache:
    cache = EmbeddingCache(tmp_path, "model-a")
    cache.put([text_key("x")], _unit(np.ones((1, 4))))
    cache.get([text_key("x")])
    cache.save()
    assert cache.path is not None
    if damage is not None:
        cache.path.write_bytes(damage)
    return EmbeddingCache(tmp_path, "model-a")


def _pickled_archive() -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, format=np.array(["qbank-embeddings-1"], dtype=object),
             model=np.array("model-a"), keys=np.zeros((1, 16), np.uint8),
             vectors=np.ones((1, 4), np.float32))  # fmt: skip
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (b"not a zip file at all", "unreadable"),
        (b"", "unreadable"),
        (_pickled_archive(), "unreadable (ValueError)"),  # object arrays need pickle: refused
    ],
)
def test_corrupt_cache_is_discarded_with_a_note(tmp_path: Path, damage: bytes, why: str) -> None:
    cache = _write_cache_then(tmp_path, damage)
    assert len(cache) == 0
    (note,) = cache.notes
    assert note.startswith(f"embedding cache {cache.path} discarded: {why}")


def test_cache_of_another_model_in_the_file_is_not_trusted(tmp_path: Path) -> None:
    original = _write_cache_then(tmp_path, None)
    assert original.path is not None and len(original) == 1
    foreign = original.path.read_bytes()
    imposter = EmbeddingCache(tmp_path, "model-b")
    assert imposter.path is not None
    imposter.path.write_bytes(foreign)  # model-a's vectors under model-b's file name
    reread = EmbeddingCache(tmp_path, "model-b")
    assert len(reread) == 0 and "written for another model" in reread.notes[0]


def test_progress_bar_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from qbank.cli.progress import show_embedding_progress, wants_progress
    from qbank.dedup.progress import progress_factory

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    monkeypatch.delenv("CI", raising=False)
    assert not wants_progress()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_progress()
    with show_embedding_progress():
        assert progress_factory.get() is not None
    assert progress_factory.get() is None
    monkeypatch.setenv("CI", "true")
    assert not wants_progress()
    with show_embedding_progress():
        assert progress_factory.get() is None


def test_greedy_match_takes_the_best_pair_first_one_to_one() -> None:
    scores = np.array([[0.9, 0.8, 0.1], [0.95, 0.2, 0.3]])
    assert greedy_match(scores) == [(1, 0), (0, 1)]


def test_neighbour_means_pad_a_small_bank_with_the_prior() -> None:
    scores = np.array([[-np.inf, 0.8, 0.2], [0.8, -np.inf, 0.4], [0.2, 0.4, -np.inf]])
    means = neighbour_means(scores, 3)
    expected = (0.8 + 0.2 + (NEIGHBOURS - 2) * NEIGHBOUR_PRIOR) / NEIGHBOURS
    assert means[0] == pytest.approx(expected)
    many = np.full((1, 40), 0.5)
    many[0, :NEIGHBOURS] = 0.9  # the best NEIGHBOURS only
    assert neighbour_means(many, 41)[0] == pytest.approx(0.9)


def test_logistic_fit_separates_and_applies_to_raw_features() -> None:
    rng = np.random.default_rng(1)
    features = rng.normal(size=(400, 2)) * [1.0, 10.0] + [0.0, 50.0]
    labels = (features[:, 0] + (features[:, 1] - 50.0) / 10.0 > 0).astype(float)
    coefficients, intercept = fit_logistic(features, labels, penalty=0.1)
    predicted = features @ coefficients + intercept > 0
    assert (predicted == labels.astype(bool)).mean() > 0.97
    assert coefficients[0] > 0 and coefficients[1] > 0


def test_qb402_docs_state_the_shipped_floor_and_threshold() -> None:
    from qbank.dedup.scoring import CANDIDATE_FLOOR
    from qbank.rules import near_duplicate

    doc = near_duplicate.__doc__ or ""
    assert f"is {CANDIDATE_FLOOR} or more" in doc
    assert f"threshold` (default {DEFAULT_THRESHOLD})" in doc
