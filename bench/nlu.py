"""NLU parse latency: our embedded interpreter vs a floor (jieba tokenisation alone), same messages, same run.

Run: `.venv/bin/python bench/nlu.py`.  Writes bench/results/nlu.json.
Target: parse p99 <= 2 ms per message in-process.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import psutil  # noqa: E402

from nlu import load_interpreter  # noqa: E402
from nlu.rasa_yaml import load  # noqa: E402

ROUNDS = 5
TARGET_MS = 2.0
RESULTS = ROOT / "bench" / "results" / "nlu.json"


def measure(fn: Callable[[str], object], messages: Sequence[str]) -> dict[str, float]:
    for text in messages:  # warm-up: caches, lazy imports
        fn(text)
    samples: list[float] = []
    gc.disable()
    try:
        for _ in range(ROUNDS):
            for text in messages:
                started = time.perf_counter_ns()
                fn(text)
                samples.append((time.perf_counter_ns() - started) / 1e6)
    finally:
        gc.enable()
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50), 4), "p99_ms": round(pick(0.99), 4),
            "mean_ms": round(sum(samples) / len(samples), 4), "calls": len(samples)}


def main() -> int:
    messages = [ex.text for ex in load(ROOT / "nlu" / "data" / "test.yml").examples]
    process = psutil.Process()
    rss_before = process.memory_info().rss
    interpreter = load_interpreter()
    memory_mb = (process.memory_info().rss - rss_before) / 2**20
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    ours = measure(interpreter.parse, messages) | {"model_memory_mb": round(memory_mb, 1)}
    floor = measure(tokenizer.lcut, messages)
    ratio = round(ours["p99_ms"] / floor["p99_ms"], 2) if floor["p99_ms"] else None
    result = {
        "name": "nlu",
        "ours": ours,
        "floor": floor | {"what": "jieba.Tokenizer.lcut of the same messages"},
        "ratio": ratio,
        "target": f"p99 <= {TARGET_MS:g} ms",
        "meets_target": ours["p99_ms"] <= TARGET_MS,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count()},
        "messages": len(messages),
    }
    print(f"{'':8}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, row in (("ours", ours), ("floor", floor)):
        print(f"{name:8}{row['p50_ms']:>10.3f}{row['p99_ms']:>10.3f}{row['mean_ms']:>10.3f}")
    print(f"ratio (p99 ours/floor) {ratio}  target {result['target']}  meets: {result['meets_target']}  "
          f"model memory {ours['model_memory_mb']} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
