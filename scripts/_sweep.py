"""What the paginator and waiter sweeps share: the services to run, their packages
generated once, and a worker per service in a process pool."""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "runtime")]


def sweep(only: list[str] | None, has_data: Callable[[str], Any], worker: Callable[[tuple[str, str]], Any],
          jobs: int) -> tuple[list[str], list[Any], float]:
    """(services run, the worker's result per service, seconds taken)."""
    from generator.bulk import all_services
    from tests.differential.harness import ensure_packages

    services = [s for s in (only or all_services()) if has_data(s)]
    started = time.monotonic()
    root = ensure_packages(services)
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(worker, [(s, str(root)) for s in services]))
    return services, results, time.monotonic() - started


def pooled(worker: Callable[[Any], Any], jobs: list[tuple[Any, ...]], processes: int) -> Iterator[Any]:
    """The worker's results, as they come, for jobs whose first item is a service name:
    biggest models first (so that the last worker does not run alone for long), in spawned
    processes renewed every few services (each keeps the packages it imported)."""
    from generator.botocore_source import service_model_dir

    jobs = sorted(jobs, key=lambda job: -(service_model_dir(job[0]) / "service-2.json").stat().st_size)
    with multiprocessing.get_context("spawn").Pool(processes, maxtasksperchild=8) as pool:
        yield from pool.imap_unordered(worker, jobs)
