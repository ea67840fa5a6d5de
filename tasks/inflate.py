"""Content-Encoding decoded under the size cap: a gzip bomb stops at the cap, never inflates whole.

httpx decodes each network chunk completely: one 64 KB chunk of a gzip bomb inflates to
~64 MB in a single call, before any size check can run.  Here zlib is asked for at most
what the cap still allows (`max_length`), so memory stays at the cap whatever the ratio.
Only gzip and deflate are advertised (Accept-Encoding), so only they need decoding.
"""

from __future__ import annotations

import zlib

ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(Exception):
    """The decoded body passed the size cap."""


class UnsupportedEncoding(Exception):
    """A Content-Encoding that was not asked for (e.g. br when only gzip, deflate were accepted)."""


class BoundedDecoder:
    """Decodes a body chunk by chunk and refuses to produce more than `max_bytes` in total."""

    def __init__(self, content_encoding: str | None, max_bytes: int):
        encoding = (content_encoding or "identity").strip().lower()
        self.max_bytes, self.size = max_bytes, 0
        if encoding in ("", "identity"):
            self._wbits = None
        elif encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped, as RFC 9110 says; raw deflate is tried if that fails
        else:
            raise UnsupportedEncoding(f"Content-Encoding {encoding!r} was not accepted")
        self._z = zlib.decompressobj(self._wbits) if self._wbits else None
        self._started = False

    def decode(self, data: bytes) -> bytes:
        """The decoded bytes of one raw chunk; raises BodyTooLarge past the cap, zlib.error on a broken stream."""
        if self._z is None:
            return self._count(data)
        if not self._started and self._wbits == zlib.MAX_WBITS and data and (data[0] & 0x0F) != 8:
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # a raw deflate stream without the zlib header
        self._started = True
        out = []
        while data:
            if self._z.eof:  # a second gzip member follows
                data, self._z = self._z.unused_data, zlib.decompressobj(self._wbits)
                continue
            out.append(self._count(self._z.decompress(data, self.max_bytes - self.size + 1)))
            data = self._z.unconsumed_tail
        return b"".join(out)

    def flush(self) -> bytes:
        return self._count(self._z.flush()) if self._z is not None else b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise BodyTooLarge(f"body exceeds {self.max_bytes} bytes")
        return data
