"""``df.mm``: a thin accessor; every method delegates to a function in :mod:`mmframe.writes`.

The options are declared once (:class:`mmframe.options.WriteOptions`), so notebooks
complete them and type checkers check them here as on the functions.
"""

from __future__ import annotations

from typing import Unpack

import pandas as pd

from .options import ActivateOptions, WriteOptions, takes


@pd.api.extensions.register_dataframe_accessor("mm")
class MMAccessor:
    """Writes and summaries on frames loaded by mmframe (``frame.mm.activate()`` ...).

    The frame is checked on every call, not here: pandas caches accessors per frame, and
    frames change after the accessor is made.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        if not isinstance(frame, pd.DataFrame):
            raise AttributeError("the mm accessor works on DataFrames only")
        self._frame = frame

    @takes(ActivateOptions)
    def activate(self, *, full: bool = False, **options: Unpack[ActivateOptions]) -> pd.DataFrame:
        """See :func:`mmframe.activate`: on this frame.

        A frame with a ``verdict`` column (:func:`mmframe.remediation_candidates`) is
        activated only when every row's verdict is one ``verdicts`` lets through
        (``"reactivate"`` by default); otherwise ``ValueError``, before any request. So
        are rows of any frame whose ``reason``, or the server's list now (read before any
        write, dry runs included), says a person asked or decided (``complaint``,
        ``unsubscribe``, ``manual``), and rows whose ``cause`` condemns, unless ``verdicts``
        names ``"keep"``; an events frame (``read_complaints``, ``read_bounces``) always.

        Parameters
        ----------
        full
            Both remove from the list and reactivate.
        {write_options}

        {write_result}
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.activate(self._frame, full=full, **options)

    @takes(WriteOptions)
    def suppress(self, *, relist: bool = True, **options: Unpack[WriteOptions]) -> pd.DataFrame:
        """See :func:`mmframe.suppress`: on this frame.

        Parameters
        ----------
        relist
            List a bounce row again as a manual add (False: it keeps its bounce reason).
        {write_options}

        {write_result}
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.suppress(self._frame, relist=relist, **options)

    @takes(WriteOptions)
    def set_seeding(self, value: int, **options: Unpack[WriteOptions]) -> pd.DataFrame:
        """See :func:`mmframe.set_seeding`: on this frame.

        Parameters
        ----------
        value
            1 (opt in) or 0 (opt out).
        {write_options}

        {write_result}
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.set_seeding(self._frame, value, **options)

    @takes(WriteOptions)
    def set_dkim(self, selector: str, **options: Unpack[WriteOptions]) -> pd.DataFrame:
        """See :func:`mmframe.set_dkim`: on this frame.

        Parameters
        ----------
        selector
            The DKIM selector.
        {write_options}

        {write_result}
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.set_dkim(self._frame, selector, **options)

    @takes(WriteOptions)
    def delete(self, **options: Unpack[WriteOptions]) -> pd.DataFrame:
        """See :func:`mmframe.delete`: on this frame.

        Parameters
        ----------
        {write_options}

        {write_result}
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.delete(self._frame, **options)

    def summary(self) -> pd.Series:
        """See :func:`mmframe.summary`: rows per status of a write result.

        Returns
        -------
        pandas.Series
            ``rows`` (``Int64``) per status, every status listed.
        """
        from . import writes  # on first use: import mmframe stays light

        return writes.summary(self._frame)
