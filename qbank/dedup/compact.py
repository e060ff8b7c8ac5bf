"""Smaller weights for an ONNX graph: how a converted model is stored (qbank.dedup.convert).

Each large weight matrix is stored in a narrower type and turned back into float32 by nodes
placed before its first use (Cast, and Mul by a scale for int8). Their inputs are all
constants, so ONNX Runtime folds them when the session is created: the model then runs in
float32 as before, only its weights were rounded. The file stays a plain ONNX graph that any
ONNX tool opens.

Storages (README, Near-duplicates, has the measured sizes and similarity errors):
  fp32             the export as it is
  fp16             every weight matrix in float16
  int8-embeddings  the token-embedding table in int8 (a scale per row), the rest in float16
  int8             every weight matrix in int8, a scale per output channel
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

STORAGES = ("fp32", "fp16", "int8-embeddings", "int8")
DEFAULT_STORAGE = "fp16"
# Biases, layer-norm scales and small tables stay float32: they weigh nothing.
MIN_ELEMENTS = 4096


def compact(source: Path, target: Path, storage: str) -> None:
    """Write `source` (an ONNX file) to `target` with its weights stored as `storage`."""
    import onnx

    if storage not in STORAGES:
        raise ValueError(f"unknown storage '{storage}' (one of {', '.join(STORAGES)})")
    model = onnx.load(str(source))
    graph = model.graph
    tables = {node.input[0] for node in graph.node if node.op_type == "Gather"}
    inputs = {value.name for value in graph.input}
    kept, decoders = [], []
    for tensor in graph.initializer:
        kind = _stored_as(tensor, storage, tensor.name in tables)
        if kind == "fp32" or tensor.name in inputs:
            kept.append(tensor)
            continue
        stored, nodes = _encode(onnx.numpy_helper.to_array(tensor), tensor.name, kind,
                                per_row=tensor.name in tables)  # fmt: skip
        kept.extend(stored)
        decoders.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    original = list(graph.node)
    del graph.node[:]
    graph.node.extend([*decoders, *original])
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def _stored_as(tensor: Any, storage: str, is_table: bool) -> str:
    import onnx

    large = len(tensor.dims) >= 2 and int(np.prod(tensor.dims)) >= MIN_ELEMENTS
    if storage == "fp32" or not large or tensor.data_type != onnx.TensorProto.FLOAT:
        return "fp32"
    if storage == "int8" or (storage == "int8-embeddings" and is_table):
        return "int8"
    return "fp16"


def _encode(
    weights: np.ndarray, name: str, kind: str, per_row: bool
) -> tuple[list[Any], list[Any]]:
    """The stored tensors and the nodes that give back `name` in float32."""
    from onnx import TensorProto, helper, numpy_helper

    if kind == "fp16":
        stored = numpy_helper.from_array(weights.astype(np.float16), f"{name}__fp16")
        return [stored], [helper.make_node("Cast", [stored.name], [name], to=TensorProto.FLOAT)]
    # Symmetric int8 with one scale per output channel: a row of a lookup table (Gather), a
    # column of a weight matrix (MatMul and the fused attention multiply inputs by it).
    axis = tuple(range(1, weights.ndim)) if per_row else tuple(range(weights.ndim - 1))
    scale = np.abs(weights).max(axis=axis, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    codes = np.clip(np.rint(weights / scale), -127, 127).astype(np.int8)
    stored_codes = numpy_helper.from_array(codes, f"{name}__int8")
    stored_scale = numpy_helper.from_array(scale.astype(np.float32), f"{name}__scale")
    nodes = [
        helper.make_node("Cast", [stored_codes.name], [f"{name}__float"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [f"{name}__float", stored_scale.name], [name]),
    ]
    return [stored_codes, stored_scale], nodes
