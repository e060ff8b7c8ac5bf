"""A sentence-transformers model converted to ONNX (qbank.dedup.convert), run on ONNX Runtime.

It reproduces `SentenceTransformer.encode(..., normalize_embeddings=True)` without torch: the
tokenizer from tokenizer.json (the `tokenizers` library), truncation at the model's
max_seq_length, the transformer graph, then mean (or CLS) pooling over the attention mask and
L2 normalisation in NumPy. A converted folder holds model.onnx, tokenizer.json and
qbank-onnx.json, which says how to pool and records where the files came from.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qbank.dedup.model import MANIFEST

FORMAT = "qbank-onnx-1"
POOLING_MODES = ("mean", "cls")
# More than 4 batches at once buy little for a model this small and take cores from the other
# hooks of a pre-commit run.
MAX_WORKERS = 4
# Padded tokens per batch at most (fewer texts in a batch of long ones): each operator's
# activations stay small enough for the core's caches. Against batches of `batch_size` (32)
# whatever their length, 5-7% less CPU time on realistic questions (stems of 100-150 tokens),
# about the same from 256 to 1,024 (benchmarks/bench_dedup.py --only runtime).
TOKENS_PER_BATCH = 512


@dataclass(frozen=True)
class Manifest:
    max_seq_length: int
    pooling: str
    dimension: int
    output: str
    inputs: tuple[str, ...]

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of a converted folder; ValueError when it is not one qbank can run."""
        document = json.loads((folder / MANIFEST).read_text("utf-8"))
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"{MANIFEST} is not of format {FORMAT}")
        try:
            manifest = cls(
                max_seq_length=int(document["max_seq_length"]),
                pooling=str(document["pooling"]),
                dimension=int(document["dimension"]),
                output=str(document["output"]),
                inputs=tuple(str(name) for name in document["inputs"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{MANIFEST} is incomplete or malformed ({exc!r})") from None
        if manifest.pooling not in POOLING_MODES:
            raise ValueError(f"pooling '{manifest.pooling}' is not one of {POOLING_MODES}")
        return manifest


class OnnxEncoder:
    """The `Encoder` of qbank.dedup.model for a converted folder.

    Batches run side by side, `workers` at once (by default one per core, at most
    MAX_WORKERS), each on one thread: splitting every operator of a model this small over
    threads makes the threads wait for each other at each of its ~100 operators, and on a
    busy machine (CI runners, pre-commit beside other hooks, this project's shared 2-core
    machine) the one waited for is often descheduled. Which worker runs a batch, and
    when, does not change its vectors. `former_encoder` gives the settings of before.
    """

    def __init__(
        self,
        folder: Path,
        workers: int | None = None,
        threads_per_run: int = 1,
        tokens_per_batch: int | None = TOKENS_PER_BATCH,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.manifest = Manifest.read(folder)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # padding is per batch, after sorting by length
        self.tokenizer.enable_truncation(max_length=self.manifest.max_seq_length)
        self.workers = workers or min(cores(), MAX_WORKERS)
        self.tokens_per_batch = tokens_per_batch
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads_per_run
        options.inter_op_num_threads = 1
        # Idle threads of a run sleep instead of spinning: spinning takes CPU from the work
        # on a busy machine (with one thread per run there are none).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: the CLI owns stderr
        self.session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """One unit-length float32 row per text, in the order given."""
        vectors = np.zeros((len(texts), self.manifest.dimension), dtype=np.float32)
        if not texts:
            return vectors
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]
        batches = length_batches([len(row) for row in ids], batch_size, self.tokens_per_batch)

        def embed_batch(rows: list[int]) -> None:
            vectors[rows] = self._embed([ids[row] for row in rows])

        workers = min(self.workers, len(batches))
        if workers == 1:
            for rows in batches:
                embed_batch(rows)
            return vectors
        with ThreadPoolExecutor(workers) as executor:  # ONNX Runtime releases the GIL
            for _ in executor.map(embed_batch, batches):  # re-raises a batch's error
                pass
        return vectors

    def _embed(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        feeds: dict[str, Any] = {"input_ids": input_ids, "attention_mask": mask,
                                 "token_type_ids": np.zeros_like(input_ids)}  # fmt: skip
        wanted = {name: feeds[name] for name in self.manifest.inputs}
        (tokens,) = self.session.run([self.manifest.output], wanted)
        return normalize(pool(np.asarray(tokens, dtype=np.float32), mask, self.manifest.pooling))


def former_encoder(folder: Path) -> OnnxEncoder:
    """The encoder as it ran before the speed work of issue 16: one batch at a time, each
    operator split over one thread per core (at most 4), `batch_size` texts a batch
    whatever their length. The reference of the test that the verdicts did not change
    (tests/test_dedup_onnx.py) and the baseline of benchmarks/bench_dedup.py --only runtime."""
    return OnnxEncoder(folder, workers=1, threads_per_run=min(cores(), MAX_WORKERS),
                       tokens_per_batch=None)  # fmt: skip


def length_batches(lengths: list[int], batch_size: int, tokens: int | None) -> list[list[int]]:
    """Rows grouped into batches, longest first (as sentence-transformers does: batches of
    similar length pad little, and the longest start first, so the workers finish about
    together). A batch holds at most `batch_size` rows and, padded, at most `tokens` tokens
    (None: no limit) unless one row alone has more."""
    order = sorted(range(len(lengths)), key=lambda row: -lengths[row])
    batches: list[list[int]] = []
    for row in order:
        if batches:
            batch = batches[-1]
            width = lengths[batch[0]]  # the longest of the batch: padded to it
            fits = tokens is None or (len(batch) + 1) * width <= tokens
            if len(batch) < batch_size and fits:
                batch.append(row)
                continue
        batches.append([row])
    return batches


def cores() -> int:
    """The cores this process may run on (a CPU affinity mask or cgroup cpuset counts)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def pool(tokens: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """Sentence vectors from token vectors (batch x tokens x width), as sentence-transformers'
    Pooling module computes them."""
    if mode == "cls":
        return tokens[:, 0]
    weights = mask.astype(np.float32)[:, :, None]
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return np.asarray((tokens * weights).sum(axis=1) / counts, dtype=np.float32)


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (torch.nn.functional.normalize: a zero row stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.clip(norms, 1e-12, None), dtype=np.float32)
