"""The HTTP server under ``marsad serve``: uvicorn with a deadline for a request's headers.

uvicorn's keep-alive timer only runs between requests, and any byte received stops it, so a
client that opens connections and never finishes its headers holds them for ever (slowloris).
Here each connection must complete a request's headers within ``HEADER_TIMEOUT`` seconds of
opening or of the previous response, else it is closed.
"""

from __future__ import annotations

import asyncio

HEADER_TIMEOUT = 10.0


def with_header_deadline(base: type, timeout: float = HEADER_TIMEOUT) -> type:
    """A subclass of a uvicorn HTTP protocol class that closes connections slow to send headers.

    A request has begun when the protocol sets a new ``cycle`` (h11: on the Request event;
    httptools: on headers complete); the deadline is armed when the connection opens and after
    each response."""

    class HeaderDeadline(base):
        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            waiting_for = self.cycle
            self._deadline = self.loop.call_later(timeout, self._expire, waiting_for)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self, waiting_for) -> None:
            self._deadline = None
            if self.cycle is waiting_for and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    HeaderDeadline.__name__ = f"HeaderDeadline{base.__name__}"
    return HeaderDeadline


def protocol_class(timeout: float = HEADER_TIMEOUT) -> type:
    """httptools' protocol when installed (faster), else h11's, with the header deadline."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as base
    except ImportError:   # httptools is an optional speed-up
        from uvicorn.protocols.http.h11_impl import H11Protocol as base
    return with_header_deadline(base, timeout)
