"""The one count every read uses: each chunk's count, one request each, all at once on
the shared pool (see :func:`count_chunks`)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .chunks import Chunk, Outcome
from .errors import MalformedAnswer, MMError
from .progress import Bar, Silent, falter, grow


def count_chunks(
    chunks: Sequence[Chunk],
    *,
    progress: Bar | None = None,
    reserved: bool = False,
    give_up: bool = False,
) -> list[Outcome]:
    """Each chunk's count (one request each, all at once on the shared pool), in order.

    The one count every reader uses: a list read's counts before and after its pages,
    and the counts per period of :func:`mmframe.read_suppression_counts`,
    :func:`mmframe.read_event_counts` and :func:`mmframe.read_rates`. Each outcome holds
    ``expected`` (the count), ``fields`` (the answer's other fields, such as a bounce
    count's ``hardbouncecount``), ``attempts``, and ``status``/``error`` when it failed.
    ``reserved``: the bar held these requests back (:func:`~mmframe.progress.reserve`).
    ``give_up``: once one count has failed for good, the counts not sent yet are not sent
    (status ``unsent``): a read that raises on its first failure then raises after one
    request's retries, not after every other request's too (the pool is shared, and a
    failing server's retries wait on one throttle).
    """
    bar = progress if progress is not None else Silent()
    if not chunks:
        return []
    grow(bar, len(chunks), reserved=reserved)
    session = chunks[0].session
    if give_up:
        counted = _until_one_fails(chunks, bar)
    else:
        counted = session.map(count_one, chunks, each=lambda: bar.update(1))
    if any(outcome.error is not None for outcome in counted):
        falter(bar)  # a count given up on: the read cannot be whole
    return counted


#: The error of a count not sent: another count of its read had failed for good first.
UNSENT = "not sent: another request of this read had failed for good"


def _until_one_fails(chunks: Sequence[Chunk], bar: Bar) -> list[Outcome]:
    """:func:`count_chunks`' counts, none sent once one has failed for good: the worker
    that takes a queued count then sends nothing (the ones under way finish, and their
    attempts are the read's too)."""
    failed = threading.Event()

    def count(chunk: Chunk) -> Outcome:
        if failed.is_set():
            return _unsent(chunk)
        outcome = count_one(chunk)
        if outcome.error is not None:
            failed.set()
        return outcome

    return chunks[0].session.map(count, chunks, each=lambda: bar.update(1))


def _unsent(chunk: Chunk) -> Outcome:
    outcome = Outcome(chunk, chunk.source.empty())
    outcome.status, outcome.error = "unsent", UNSENT
    return outcome


def count_one(chunk: Chunk) -> Outcome:
    outcome = Outcome(chunk, chunk.source.empty())
    try:
        reply = chunk.session.call("GET", chunk.source.count_method, chunk.params())
    except MalformedAnswer:
        raise  # no chunk that failed: the server's answers cannot be trusted at all
    except MMError as exc:
        outcome.status, outcome.error, outcome.attempts = "failed", str(exc), exc.attempts
        outcome.failure = exc
        return outcome
    outcome.expected, outcome.attempts = int(reply.data["count"]), reply.attempts
    outcome.fields = dict(reply.data)
    return outcome
