"""
The benchmark's clock (`run.py`): the wall times of repeated calls, and the
frameworks timed in turns.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence

Call = Callable[[], object]

LONG_CALL = 10.0
"""Seconds from which a warm-up call is its own measurement."""


def timed_samples(
    call: Call, budget: float, warm_up: float | None = None
) -> list[float]:
    """
    Wall times of one call, over about `budget` seconds of calls.

    A warm-up call comes first, unless `warm_up` gives the time of one already
    made; a warm-up of `LONG_CALL` seconds or more is the one sample, else a
    call longer than `budget` is timed three times.
    """
    if warm_up is None:
        start = time.perf_counter()
        call()
        warm_up = time.perf_counter() - start
    if warm_up >= LONG_CALL:
        return [warm_up]
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first >= budget:  # a long call: three samples
        rest = [first]
        for _ in range(2):
            start = time.perf_counter()
            call()
            rest.append(time.perf_counter() - start)
        return rest
    group = max(1, int(1e-3 / max(first, 1e-9)))  # samples of at least ~1 ms
    samples = int(min(max(budget / (first * group), 3), 200))
    times: list[float] = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(group):
            call()
        times.append((time.perf_counter() - start) / group)
    return times


ROUNDS = 3
"""Rounds of `time_all`: the frameworks take turns, so that a burst of load
from elsewhere on a shared machine falls on all of them alike."""


def time_all(
    makers: Mapping[str, Callable[[int], Call | None]],
    budget: float,
    threads: Sequence[int],
    frameworks: Sequence[str],
    first_call: Mapping[str, float],
) -> dict[tuple[str, int], float | None]:
    """
    Seconds per call of each framework at each thread count (None: it has no
    call): the median over `ROUNDS` rounds of `budget / ROUNDS` seconds each,
    the frameworks taking turns within a round. `first_call` holds the
    seconds of a call each made already (the first count's warm-up).
    """
    seconds: dict[tuple[str, int], float | None] = {}
    for t in threads:
        calls = {name: makers[name](t) for name in frameworks if name in makers}
        samples: dict[str, list[float]] = {name: [] for name in calls}
        for round_ in range(ROUNDS):
            for name, call in calls.items():
                done = samples[name] and samples[name][0] >= LONG_CALL
                first = t == threads[0] and not round_
                if call is not None and not done:
                    warm = first_call.get(name) if first else None
                    samples[name] += timed_samples(call, budget / ROUNDS, warm)
        for name in frameworks:
            times = samples.get(name)
            seconds[name, t] = statistics.median(times) if times else None
    return seconds


__all__ = ["LONG_CALL", "ROUNDS", "Call", "time_all", "timed_samples"]
