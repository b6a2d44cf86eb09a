# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A multipart/form-data body that streams its files: known length, read in chunks, never held in memory."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import mimetypes
import uuid

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import PermissionAssistError

CHUNK = 256 * 1024


class FileChangedError(PermissionAssistError):
    """A file's size changed between the check and the upload: the body would not match its declared length.

    Raised while the body is being sent, so the request never completes and the server cannot have acted on it.
    """


class FilePart:
    def __init__(self, name, filename, path, size):
        self.name = name
        self.filename = filename
        self.path = path
        self.size = size


class MultipartBody:
    """``fields``: (name, text) pairs; ``files``: FilePart. Iterating yields the body in chunks, reading each file as
    it goes; ``len()`` is the exact byte count, so the request carries a Content-Length (no chunked encoding).

    It can be iterated again (a retry where the server cannot have acted reopens the files).
    """

    def __init__(self, fields, files):
        self.boundary = "pa-upload-" + uuid.uuid4().hex
        self.content_type = "multipart/form-data; boundary=" + self.boundary
        self._fields = [(name, _field(self.boundary, name, value)) for name, value in fields]
        self._files = [(part, _file_head(self.boundary, part)) for part in files]
        self._tail = "--{0}--\r\n".format(self.boundary).encode("ascii")
        self._length = sum(len(data) for dummy, data in self._fields) + len(self._tail)
        self._length += sum(len(head) + part.size + 2 for part, head in self._files)

    def __len__(self):
        return self._length

    def __iter__(self):
        for dummy, data in self._fields:
            yield data
        for part, head in self._files:
            yield head
            yield from _read(part)
            yield b"\r\n"
        yield self._tail


def _field(boundary, name, value):
    return ("--{0}\r\nContent-Disposition: form-data; name=\"{1}\"\r\n\r\n{2}\r\n".format(
        boundary, _quote(name), value)).encode("utf-8")


def _file_head(boundary, part):
    content_type = mimetypes.guess_type(part.filename)[0] or "application/octet-stream"
    return ("--{0}\r\nContent-Disposition: form-data; name=\"{1}\"; filename=\"{2}\"\r\nContent-Type: {3}\r\n\r\n".format(
        boundary, _quote(part.name), _quote(part.filename), content_type)).encode("utf-8")


def _quote(text):
    """As browsers do (HTML form submission): the three characters that would break the header, percent-encoded."""
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _read(part):
    sent = 0
    with open(part.path, "rb") as handle:
        while sent < part.size:
            chunk = handle.read(min(CHUNK, part.size - sent))
            if not chunk:
                break
            sent += len(chunk)
            yield chunk
        grew = bool(handle.read(1))
    if sent != part.size or grew:
        raise FileChangedError("{0}: the file changed while it was being uploaded (it had {1} bytes when checked); "
                               "the upload was abandoned before its end, so the server cannot have taken it".format(
                                   part.path, part.size))
