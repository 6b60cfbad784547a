"""Timing helpers the in-process benchmarks share: samples in milliseconds and their 95th percentile."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(call: Callable[[], Any], repeat: int) -> list[float]:
    """Runs `call` `repeat` times; each run's wall-clock time in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]
