"""The transport: identified, rate-limited, cached on disk, replaceable in tests.

Why cache every answer: a resolver run over a few hundred references is slow
by design (arXiv asks for one request every three seconds), and a second run
over the same survey should cost nothing and give the same result.  Tests
replace :class:`Transport.fetch` with recorded answers, so no test touches the
network.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...core.atomic import atomic_write
from ...core.version import __version__

Fetch = Callable[[str, dict[str, str]], bytes]


class ServiceError(Exception):
    """A service could not be reached or answered with an error (the URL is in the message)."""


def urllib_fetch(url: str, headers: dict[str, str], timeout: float = 30.0) -> bytes:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https URLs we build
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ServiceError(f"{url}: {getattr(exc, 'reason', exc)}") from None


@dataclass
class Transport:
    """GET with a per-host minimum interval, a User-Agent naming us, and a disk cache."""

    cache: Path | None
    mailto: str | None = None
    fetch: Fetch | None = None  # None: urllib (looked up at call time, so tests can replace it)
    intervals: dict[str, float] = field(default_factory=dict)  # host -> seconds between requests
    clock: Callable[[], float] | None = None  # None: time.monotonic
    sleep: Callable[[float], None] | None = None  # None: time.sleep
    requests: int = 0  # answers fetched from the network (not the cache)
    _last: dict[str, float] = field(default_factory=dict)

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"sphinxcontrib-alignsurvey/{__version__} (alignsurvey enrich{contact})"

    def _cached(self, url: str) -> Path | None:
        if self.cache is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache / digest[:2] / f"{digest}.bin"

    def get(self, host: str, url: str) -> bytes:
        cached = self._cached(url)
        if cached is not None and cached.is_file():
            return cached.read_bytes()
        clock = self.clock or time.monotonic
        interval = self.intervals.get(host, 1.0)
        wait = self._last.get(host, float("-inf")) + interval - clock()
        if wait > 0:
            (self.sleep or time.sleep)(wait)
        self._last[host] = clock()
        fetch = self.fetch or urllib_fetch
        data = fetch(url, {"User-Agent": self.user_agent, "Accept": "*/*"})
        self.requests += 1
        if cached is not None:
            with atomic_write(cached) as fh:
                fh.write(data)
        return data
