"""A Dask client: a local cluster of worker processes started and closed here, or an existing one."""
from __future__ import annotations

import logging
import os
import resource
from contextlib import contextmanager
from typing import Any, Iterator

from ..errors import ClaimalignError

__all__ = ["dask_client", "worker_usage", "default_workers", "CONNECT_TIMEOUT"]

CONNECT_TIMEOUT = "20s"


def default_workers() -> int:
    """One worker process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A connected `distributed.Client`: to `scheduler` (tcp://HOST:PORT) when given, else to a
    local cluster on loopback with `workers` processes of one thread each, closed on exit."""
    import dask
    from distributed import Client, LocalCluster

    cluster = None
    with dask.config.set({"distributed.admin.tick.limit": "10s",
                          "distributed.worker.profile.enabled": False,
                          "distributed.logging.distributed": "error"}):
        try:
            if scheduler:
                client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            else:
                cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1,
                                       processes=True, host="127.0.0.1", dashboard_address=None,
                                       silence_logs=logging.ERROR)
                client = Client(cluster, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
            if cluster is not None:
                cluster.close()
            where = f"the scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise ClaimalignError(f"cannot reach {where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        try:
            yield client
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _usage() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def worker_usage(client: Any) -> dict[str, tuple[float, float]]:
    """Each worker process's peak resident memory (MB) and CPU time (s) since it started."""
    try:
        return {address: (round(mb, 1), round(cpu, 1)) for address, (mb, cpu) in sorted(client.run(_usage).items())}
    except Exception:  # noqa: BLE001 - figures for the summary, never a reason to fail the batch
        return {}
