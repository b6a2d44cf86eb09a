"""Incremental multipart/form-data parsing for the upload endpoint (no ``cgi``: Python 3.13 removed it).

The body is read in chunks from the socket. A file part is never kept: its bytes are counted and hashed as they pass
(the emulator needs the size, to refuse an empty file, and nothing else). A text field keeps at most FIELD_LIMIT bytes.
"""

import hashlib
import re

CHUNK = 64 * 1024
HEADER_LIMIT = 16 * 1024
FIELD_LIMIT = 4096
BOUNDARY = re.compile(r'boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))', re.IGNORECASE)
DISPOSITION_PARAM = re.compile(r';\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


class MultipartError(Exception):
    """The body is not well-formed multipart/form-data."""


class BodyStream:
    """At most ``length`` bytes of ``rfile``: what a request declared in Content-Length, read on demand."""

    def __init__(self, rfile, length):
        self.rfile = rfile
        self.remaining = length
        self.received = 0

    def read(self, size=CHUNK):
        if self.remaining <= 0:
            return b""
        data = self.rfile.read(min(size, self.remaining))
        if not data:  # the client went away: treat the rest as missing
            self.remaining = 0
            raise MultipartError("the request body ended before its Content-Length")
        self.remaining -= len(data)
        self.received += len(data)
        return data

    def drain(self):
        """Read and discard the rest, so a refused request still gets its answer (not a reset while it sends)."""
        try:
            while self.read(CHUNK):
                pass
        except MultipartError:
            pass


class Part:
    def __init__(self, name, filename, content_type):
        self.name = name
        self.filename = filename
        self.content_type = content_type
        self.size = 0
        self.value = b""  # text fields only
        self.truncated = False
        self._hash = hashlib.sha256()

    def feed(self, data):
        self.size += len(data)
        if self.filename is None:
            room = FIELD_LIMIT - len(self.value)
            self.value += data[:room]
            self.truncated = self.truncated or len(data) > room
        else:
            self._hash.update(data)

    @property
    def sha256(self):
        return self._hash.hexdigest()


def boundary_of(content_type):
    """The boundary of a multipart/form-data Content-Type, or MultipartError."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        raise MultipartError("Content-Type must be multipart/form-data")
    match = BOUNDARY.search(content_type)
    if not match:
        raise MultipartError("the multipart Content-Type has no boundary")
    return (match.group(1) or match.group(2)).encode("latin-1")


def parse(stream, boundary):
    """Every part of the body, in order; file parts counted and hashed, never stored."""
    delimiter = b"\r\n--" + boundary
    buffer = b"\r\n"  # so the first boundary line matches the same delimiter as the others
    parts = []
    while True:
        buffer = _fill(stream, buffer, len(delimiter) + 4)
        if not buffer.startswith(delimiter):
            found = buffer.find(delimiter)
            if found < 0 or parts:
                raise MultipartError("the body does not start with the multipart boundary")
            buffer = buffer[found:]  # a preamble before the first boundary is allowed and ignored
        buffer = buffer[len(delimiter):]
        if buffer.startswith(b"--"):
            return parts  # the closing boundary; an epilogue after it is ignored
        end = buffer.find(b"\r\n")
        if end < 0 or buffer[:end].strip(b" \t"):
            raise MultipartError("a multipart boundary line is malformed")
        buffer = buffer[end + 2:]
        headers, buffer = _headers(stream, buffer)
        part = _part(headers)
        buffer = _body(stream, buffer, delimiter, part)
        parts.append(part)


def _fill(stream, buffer, wanted):
    while len(buffer) < wanted:
        data = stream.read(CHUNK)
        if not data:
            break
        buffer += data
    return buffer


def _headers(stream, buffer):
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > HEADER_LIMIT:
            raise MultipartError("the headers of a part are too long")
        data = stream.read(CHUNK)
        if not data:
            raise MultipartError("the body ends inside the headers of a part")
        buffer += data
    raw, buffer = buffer.split(b"\r\n\r\n", 1)
    headers = {}
    for line in raw.decode("utf-8", "replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if not sep:
            raise MultipartError("a part header is malformed")
        headers[name.strip().lower()] = value.strip()
    return headers, buffer


def _part(headers):
    disposition = headers.get("content-disposition", "")
    if not disposition.lower().startswith("form-data"):
        raise MultipartError("a part has no Content-Disposition: form-data header")
    params = {}
    for match in DISPOSITION_PARAM.finditer(disposition):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        params[match.group(1).lower()] = re.sub(r"\\(.)", r"\1", value)
    if "name" not in params:
        raise MultipartError("a part has no name")
    return Part(params["name"], params.get("filename"), headers.get("content-type"))


def _body(stream, buffer, delimiter, part):
    """Feed the part its bytes up to the next delimiter; return what follows (starting with the delimiter)."""
    keep = len(delimiter) - 1
    while True:
        found = buffer.find(delimiter)
        if found >= 0:
            part.feed(buffer[:found])
            return buffer[found:]
        if len(buffer) > keep:
            part.feed(buffer[:-keep])
            buffer = buffer[-keep:]
        data = stream.read(CHUNK)
        if not data:
            raise MultipartError("the body ends inside a part (no closing boundary)")
        buffer += data
