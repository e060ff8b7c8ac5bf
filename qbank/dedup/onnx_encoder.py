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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from qbank.dedup.model import MANIFEST

FORMAT = "qbank-onnx-1"
POOLING_MODES = ("mean", "cls")
# ONNX Runtime's own default is one thread per physical core; more than 4 buys little for a
# model this small and takes cores from the other hooks of a pre-commit run.
MAX_THREADS = 4


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
    """The `Encoder` of qbank.dedup.model for a converted folder."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.manifest = Manifest.read(folder)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()  # padding is per batch, after sorting by length
        self.tokenizer.enable_truncation(max_length=self.manifest.max_seq_length)
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, MAX_THREADS)
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning: on a busy machine (CI runners, pre-commit next
        # to other hooks) spinning takes CPU from the work; on this project's shared 2-core
        # machine, not spinning gave 10-25% more texts/s.
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
        # Longest first, as sentence-transformers does: batches of similar length pad little.
        order = sorted(range(len(ids)), key=lambda row: -len(ids[row]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            vectors[rows] = self._embed([ids[row] for row in rows])
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
