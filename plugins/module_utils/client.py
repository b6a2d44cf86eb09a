# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport for the Permission Assist API: auth, TLS, timeouts, retries and the error contract.

Nothing here knows what an import is. Retry rules:

* GET is retried on connection errors, read timeouts, 429 and 502/503/504.
* POST is retried only where the server cannot have acted: the connection was never
  established, or the server refused the request (429, or 503 with Retry-After).
  Anything else after the request left (read timeout, dropped connection, 500/502/504
  without the API's error body, a 2xx that is not JSON) raises TransportError with
  ``request_sent=True`` (and what is known of how it ended: ``status``,
  ``late_commit_possible``) so the caller can look before sending it again (settle.py).

A multipart body (upload) is streamed from its files with its Content-Length, and read again from them on a retry.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re
import time

from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import ApiError, TransportError
from ansible_collections.sycorr.permission_assist.plugins.module_utils.multipart import MultipartBody

try:
    import requests
    from requests.exceptions import (ConnectTimeout, ConnectionError as RequestsConnectionError, ReadTimeout,
                                     RequestException, SSLError)
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised through missing_required_lib
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

USER_AGENT = "sycorr.permission_assist"
RETRIABLE_GET_STATUSES = (429, 502, 503, 504)
BACKOFF_START = 0.5
BACKOFF_CAP = 8.0


class RetryPolicy:
    """How many times and how long the client may retry one call."""

    def __init__(self, retries=3, max_delay=30.0):
        self.retries = retries
        self.max_delay = max_delay

    def delay(self, attempt, retry_after=None):
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return min(BACKOFF_START * (2 ** attempt), BACKOFF_CAP, self.max_delay)


class Client:
    """One requests.Session per module run: connections are reused across calls."""

    def __init__(self, base_url, token, validate_certs=True, ca_path=None, timeout=30.0, retry_policy=None,
                 sleep=time.sleep, clock=time.monotonic):
        self.api_url = base_url.rstrip("/") + "/api"
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy()
        self.request_count = 0
        self._sleep = sleep
        self._clock = clock
        self._session = requests.Session()
        self._session.headers.update({
            "Authorization": "Bearer {0}".format(token),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        })
        # Passed with each request, not set on the session: requests lets REQUESTS_CA_BUNDLE override a
        # session-level verify, which would silently ignore ca_path wherever that variable is set.
        self._verify = (ca_path or True) if validate_certs else False

    def get(self, path, params=None, deadline=None):
        return self._call("GET", path, params=params, deadline=deadline)

    def post(self, path, payload, deadline=None):
        return self._call("POST", path, payload=payload, deadline=deadline)

    def post_multipart(self, path, body, deadline=None):
        """POST a multipart.MultipartBody, streamed with its Content-Length; the same retry rules as post()."""
        return self._call("POST", path, payload=body, deadline=deadline)

    def close(self):
        self._session.close()

    def _call(self, method, path, params=None, payload=None, deadline=None):
        attempt = 0
        while True:
            try:
                return self._send_once(method, path, params, payload)
            except _Retriable as retriable:
                delay = self.retry_policy.delay(attempt, retriable.retry_after)
                out_of_time = deadline is not None and self._clock() + delay >= deadline
                if attempt >= self.retry_policy.retries or out_of_time:
                    raise retriable.error
                attempt += 1
                self._sleep(delay)

    def _send_once(self, method, path, params, payload):
        # The deadline only stops retries; the request in flight keeps its full timeout, so a
        # caller's wait overruns its deadline by at most one request timeout.
        timeout = self.timeout
        kwargs = {"params": params, "timeout": timeout, "verify": self._verify}
        if isinstance(payload, MultipartBody):
            kwargs["data"] = payload  # iterated in chunks; requests sends len() as Content-Length
            kwargs["headers"] = {"Content-Type": payload.content_type}
        elif payload is not None:
            kwargs["data"] = json.dumps(payload)
            kwargs["headers"] = {"Content-Type": "application/json"}
        self.request_count += 1
        try:
            response = self._session.request(method, self.api_url + path, **kwargs)
        except SSLError as exc:
            raise TransportError(method, path, "TLS error talking to {0}: {1}".format(
                _host_of(self.api_url), _ssl_reason(exc)), request_sent=False)
        except ConnectTimeout:
            raise self._transport_failure(method, path, "connection timed out", sent=False)
        except ReadTimeout:
            raise self._transport_failure(method, path, "no answer within {0:g}s".format(timeout), sent=True,
                                          late_commit_possible=True)
        except RequestsConnectionError as exc:
            sent = not _never_connected(exc)
            reason = "connection dropped before an answer" if sent else "cannot connect to {0}: {1}".format(
                _host_of(self.api_url), _os_error(exc))
            raise self._transport_failure(method, path, reason, sent=sent)
        except RequestException as exc:  # e.g. a body cut short: the request was sent and read
            raise self._transport_failure(method, path, "broken answer: {0}".format(_innermost_message(exc)), sent=True)
        return self._interpret(method, path, response)

    def _transport_failure(self, method, path, reason, sent, late_commit_possible=False):
        error = TransportError(method, path, reason, request_sent=sent, late_commit_possible=late_commit_possible)
        if method == "GET" or not sent:
            return _Retriable(error)
        return error

    def _interpret(self, method, path, response):
        status = response.status_code
        if 200 <= status < 300:
            try:
                return response.json()
            except ValueError:
                # A non-idempotent POST may have done its work: the caller settles it (settle.py).
                raise TransportError(method, path, "HTTP {0} with a body that is not JSON ({1})".format(
                    status, _describe_body(response)), request_sent=True, status=status)
        body = _json_or_none(response)
        retry_after = _retry_after_seconds(response)
        if body is None:
            error = ApiError(method, path, status, message="non-JSON error body ({0})".format(_describe_body(response)),
                             retry_after=retry_after)
        else:
            error = ApiError(method, path, status, error=body.get("error"), message=body.get("message"),
                             correlation_id=body.get("correlationId"), field_errors=body.get("errors"),
                             retry_after=retry_after)
        if method == "GET" and status in RETRIABLE_GET_STATUSES:
            raise _Retriable(error, retry_after)
        if method == "POST":
            if status == 429 or (status == 503 and retry_after is not None):
                raise _Retriable(error, retry_after)
            if status in (502, 504) or (status >= 500 and body is None):
                # A gateway or proxy answered: the API behind it may have committed the work.
                raise TransportError(method, path, str(error).split(" failed: ", 1)[1], request_sent=True,
                                     status=status)
        raise error


class _Retriable(Exception):
    def __init__(self, error, retry_after=None):
        super(_Retriable, self).__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _never_connected(exc):
    """True when requests failed while establishing the connection (nothing was sent)."""
    text = repr(exc)
    return any(marker in text for marker in ("NewConnectionError", "Failed to establish", "NameResolutionError",
                                             "Connection refused", "Name or service not known"))


def _retry_after_seconds(response):
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # HTTP-date form: fall back to our own backoff


def _json_or_none(response):
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _describe_body(response):
    content_type = response.headers.get("Content-Type", "no content type").split(";")[0]
    text = response.text or ""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    excerpt = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
    excerpt = " ".join(excerpt.split())[:120]
    return "{0}: {1}".format(content_type, excerpt) if excerpt else content_type


def _host_of(url):
    return url.split("://", 1)[-1].split("/", 1)[0]


def _os_error(exc):
    """The operating system's reason inside requests' nested connection error, e.g. 'Connection refused'."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    return match.group(1).strip() if match else _first_line(exc)


def _ssl_reason(exc):
    # Up to OpenSSL's source position or the end of the quoted reason; the reason may quote the host name itself.
    match = re.search(r"\[SSL: [A-Z_]+\][^\n]*?(?= \(_ssl\.c:\d+\)|[\"']\)|$)", str(exc))
    return match.group(0).strip() if match else _first_line(exc)


def _innermost_message(exc):
    """requests wraps urllib3's error, whose str() is a tuple repr: keep only its own message."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    if exc.args and isinstance(exc.args[0], str) and exc.args[0]:
        return exc.args[0].splitlines()[0][:200]
    return _first_line(exc)


def _first_line(exc):
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
