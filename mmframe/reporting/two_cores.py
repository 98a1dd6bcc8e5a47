"""Work shared with a forked copy of this process: the report's charts, drawn on two cores.

Drawing is the last of the report's work, done while its server idles: in one process it
takes one core, a second or two. Here every other job runs in a child ``fork`` made
(it inherits the jobs as they are, closures and frames included: nothing is pickled but
the results), and the rest here. Whatever goes wrong with the child (no ``fork`` on this
system, a child that fails, dies or is silent for long) only costs time: its jobs are
then done here, so the results are always this process's own, in order.

Only the ``mmframe`` command asks for it (:func:`mmframe.reporting.build`'s ``forks``): a
notebook's kernel is no process to copy.
"""

from __future__ import annotations

import os
import pickle
import select
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

#: How long the child may take past the time this process took for its own share, at
#: least: a child stuck (a lock another thread held at the fork) is given up on then.
_GRACE = 10.0


def in_two(jobs: Sequence[Callable[[], Any]], *, fork: bool = True) -> list[Any]:
    """``[job() for job in jobs]``, every other job run in a forked child when ``fork``
    and the system can (Linux, two jobs or more, two cores or more)."""
    if not (fork and len(jobs) > 1 and _can_fork()):
        return [job() for job in jobs]
    theirs = list(range(0, len(jobs), 2))
    reading, writing = os.pipe()
    try:
        with warnings.catch_warnings():  # Python 3.12+: a process with threads (see above)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return [job() for job in jobs]
    if pid == 0:  # the child: its share, sent whole, then gone without any clean-up
        os.close(reading)
        _child(jobs, theirs, writing)
    os.close(writing)
    started = time.monotonic()
    results: dict[int, Any] = {i: jobs[i]() for i in range(1, len(jobs), 2)}
    sent = _collect(reading, pid, _GRACE + time.monotonic() - started)
    for i in theirs:  # what the child did not send is done here
        results[i] = sent[i] if sent is not None and i in sent else jobs[i]()
    return [results[i] for i in range(len(jobs))]


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def _child(jobs: Sequence[Callable[[], Any]], mine: list[int], writing: int) -> None:
    """Run ``mine`` of ``jobs`` and write their results to ``writing``; never returns."""
    status = 0
    try:
        done = {i: jobs[i]() for i in mine}
        payload = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as out:
            out.write(payload)
    except BaseException:  # the parent does this share itself
        status = 1
    os._exit(status)


def _collect(reading: int, pid: int, patience: float) -> dict[int, Any] | None:
    """The child's results (None: it failed, or sent nothing within ``patience`` seconds
    of silence); the child is reaped either way."""
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([reading], [], [], patience)
            if not ready:  # silent for long: given up on
                os.kill(pid, 9)
                chunks = []
                break
            chunk = os.read(reading, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reading)
        _, status = os.waitpid(pid, 0)
    if status != 0 or not chunks:
        return None
    try:
        found = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's bytes
    except Exception:  # done here instead
        return None
    return found if isinstance(found, dict) else None
