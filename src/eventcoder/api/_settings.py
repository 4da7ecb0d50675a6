"""Server settings: where the store is, who may write, how big a request may be."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ApiSettings", "DEFAULT_MAX_BODY", "is_loopback"]

#: Request bodies larger than this get 413 (``EVENTCODER_MAX_BODY`` overrides it, in bytes).
DEFAULT_MAX_BODY = 2 * 1024 * 1024


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach: 127.0.0.0/8, ::1 and ``localhost``."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes, not {value!r}") from None


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """What :func:`eventcoder.api.create_app` was asked for.

    ``host`` is the address the server listens on. Writes (coding and storing articles) need
    ``Authorization: Bearer <token>`` whenever a token is set; without a token they are open on a loopback
    address and refused on any other.
    """

    db_path: Path | str | None = None
    token: str | None = None
    host: str = "127.0.0.1"
    max_body_bytes: int = DEFAULT_MAX_BODY
    max_page: int = 1000  # the largest ``limit`` for JSON pages; exports (csv, parquet) are not capped

    @classmethod
    def create(cls, db_path: Path | str | None = None, token: str | None = None, host: str = "127.0.0.1",
               max_body_bytes: int | None = None) -> ApiSettings:
        limit = max_body_bytes if max_body_bytes is not None else _env_int("EVENTCODER_MAX_BODY", DEFAULT_MAX_BODY)
        return cls(db_path=db_path, token=token or None, host=host, max_body_bytes=limit)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    @property
    def write_access(self) -> str:
        """``token`` (a token is set), ``open`` (loopback, no token) or ``closed`` (another address, no token)."""
        if self.token:
            return "token"
        return "open" if self.loopback else "closed"
