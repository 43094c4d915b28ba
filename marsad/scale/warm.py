"""Imported by the pool's forkserver (``parallel._new_pool``): the pipeline is built there once,
and each worker forked from it starts with it built, where each worker built its own (with two
workers, one build less per pool: some 0.8 CPU s on this shared machine). The workers still
call ``warm_worker``, which finds it built. A failure here is left to the workers, which build
the pipeline themselves and show why they cannot (``parallel._isolate``)."""

from __future__ import annotations

import os

BUILT_IN: int | None = None   # the process that built the pipeline on importing this module

try:
    from ..tune import warm_process

    warm_process()
    BUILT_IN = os.getpid()
except Exception:  # noqa: BLE001 - the forkserver must start whatever the pipeline does
    pass


def built_in() -> tuple[int | None, int]:
    """(the process that built this one's pipeline here, this process): asked of a worker."""
    return BUILT_IN, os.getpid()
