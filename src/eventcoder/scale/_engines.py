"""Engines that code shards in parallel: a local process pool, or Ray Data on a local or remote Ray cluster.

Each worker builds one :class:`~eventcoder.pipeline.Coder` (loads the spaCy model and the dictionaries) when it
starts and codes every shard it is given with it. Workers return finished parts (:class:`ShardResult`); only the
driver writes files, so the output directory need not be shared with the workers.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import EventcoderError
from ._inputs import Shard
from ._parts import ShardResult, code_shard

__all__ = ["ENGINES", "run_local", "run_ray", "ray_available"]

log = logging.getLogger("eventcoder.scale")

OnResult = Callable[[ShardResult], None]

#: The engines ``eventcoder batch --engine`` accepts.
ENGINES = ("local", "ray")


def _make_coder(coder_kwargs: Mapping[str, Any]) -> Any:
    from ..pipeline import Coder

    return Coder(**dict(coder_kwargs))


# --------------------------------------------------------------------------------------------- local

_WORKER_CODER: Any = None


def _exit_with_parent(parent: int, every: float = 1.0) -> None:
    """End this worker once its parent is gone (a pool worker would otherwise wait for work forever)."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _init_local_worker(coder_kwargs: Mapping[str, Any]) -> None:
    global _WORKER_CODER
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    _WORKER_CODER = _make_coder(coder_kwargs)


def _code_in_worker(shard: Shard) -> ShardResult:
    return code_shard(_WORKER_CODER, shard)


def run_local(shards: Iterable[Shard], on_result: OnResult, workers: int,
              coder_kwargs: Mapping[str, Any]) -> None:
    """Code ``shards`` in a pool of ``workers`` processes; ``on_result`` runs in this process as each finishes.

    Input is read lazily: at most two shards per worker are queued at a time. The processes are started with
    ``spawn`` (a fresh interpreter each, safe whatever threads the parent runs).
    """
    workers = max(1, workers)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_local_worker,
                               initargs=(dict(coder_kwargs),))
    queue = iter(shards)
    running: set[Future[ShardResult]] = set()
    try:
        def fill() -> None:
            while len(running) < 2 * workers:
                shard = next(queue, None)
                if shard is None:
                    return
                running.add(pool.submit(_code_in_worker, shard))

        fill()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.discard(future)
                on_result(future.result())
            fill()
    except BrokenProcessPool as exc:
        raise EventcoderError(f"a worker process died ({exc}); rerun the same command to resume") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------------------------- ray


def ray_available() -> bool:
    """Whether Ray (with Ray Data) can be imported."""
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


class RayShardCoder:
    """The callable class Ray Data runs in each actor of the pool: one coder per actor, built in ``__init__``."""

    def __init__(self, coder_kwargs: Mapping[str, Any]) -> None:
        self.coder = _make_coder(coder_kwargs)

    def __call__(self, batch: Any) -> Any:  # a pyarrow.Table in, a pyarrow.Table out
        import pyarrow as pa

        indexes, results = [], []
        for index, payload in zip(batch.column("shard").to_pylist(), batch.column("payload").to_pylist()):
            shard: Shard = pickle.loads(payload)
            indexes.append(index)
            results.append(pickle.dumps(code_shard(self.coder, shard), protocol=pickle.HIGHEST_PROTOCOL))
        return pa.table({"shard": pa.array(indexes, pa.int64()), "result": pa.array(results, pa.binary())})


def run_ray(shards: Iterable[Shard], on_result: OnResult, workers: int, coder_kwargs: Mapping[str, Any],
            address: str | None = None) -> None:
    """Code ``shards`` with Ray Data: ``map_batches`` over an actor pool of ``workers`` coders.

    Connects to ``address`` (``ray://host:10001``, ``auto``) or, without one, starts Ray on this machine, unless
    this process has already initialised Ray. Every shard is one input block and one batch, so results stream
    back as shards finish. On a cluster, each node needs eventcoder and its model installed (the same version).
    """
    if not ray_available():
        raise EventcoderError("--engine ray needs Ray: pip install 'eventcoder[ray]'")
    import ray
    import ray.data

    if address and address.startswith("ray://"):
        try:
            import grpc  # noqa: F401 (Ray Client talks gRPC)
        except ImportError:
            raise EventcoderError("ray:// addresses need Ray Client: pip install 'ray[client]==2.60.0' (or run on "
                                  "a cluster node with --ray-address auto)") from None
    todo = list(shards)
    if not todo:
        return
    started_here = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING,
                                  "log_to_driver": False}
        if address:
            kwargs["address"] = address
        else:
            kwargs["num_cpus"] = max(1, workers)
        try:
            ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise EventcoderError(f"cannot start or reach Ray{' at ' + address if address else ''}: {exc}") from None
        started_here = True
    if not log.isEnabledFor(logging.DEBUG):  # Ray Data's own progress lines at INFO would drown ours
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        items = [{"shard": s.index, "payload": pickle.dumps(s, protocol=pickle.HIGHEST_PROTOCOL)} for s in todo]
        dataset = ray.data.from_items(items, override_num_blocks=len(items))
        coded = dataset.map_batches(
            RayShardCoder,
            fn_constructor_kwargs={"coder_kwargs": dict(coder_kwargs)},
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=max(1, workers)),
            num_cpus=1,
        )
        for row in coded.iter_rows():
            on_result(pickle.loads(row["result"]))
    finally:
        if started_here:
            ray.shutdown()
