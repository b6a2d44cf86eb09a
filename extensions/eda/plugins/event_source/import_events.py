# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sycorr collection maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-rulebook event source: one event per status change of a Permission Assist import."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: One event per status change of a Permission Assist import
description:
  - An ansible-rulebook event source that polls the Permission Assist import list and puts one event on the queue
    for each status change it sees, so a rulebook can react to imports it did not start (scheduled ones, ones
    staged from the user interface or by another job).
  - "Each event is C({\"pa_import\": {...}}) with C(id), C(number), C(status), C(previous_status) (null for an import
    first seen in that status), C(type), C(application) (C(id), C(name)), C(buildStart), C(buildEnd) and, for a
    C(Failed) import, C(log_tail) (the last 20 log lines, from one read of the import) and C(cause) (the last
    meaningful log line). ansible-rulebook adds C(meta) (source name and type, C(received_at), C(uuid))."
  - The first poll takes a baseline (page 1 and the never-started end of the list) and emits nothing (unless
    O(emit_existing)). A change is emitted once, and every import that changed between two polls gets its event; a
    poll sees an import's status at that moment, so an import that went through several statuses between two polls
    gives one event, for the status it has now.
  - "Requests: the import list is sorted by build start, newest first, with never-started imports at one end. When
    nothing changed and no import waits to start, a poll is one request (page 1). More pages are read only while
    they can hold a change: forward from page 1 until the newest build start of the previous poll when more than
    a page of imports started since; the never-started end of the list while an import is known to wait there (it
    may be canceled before it starts) or the total count grew by more than the new imports already seen. An
    import that ends C(Failed) costs one more request (its log); an import not yet ended that is on none of
    the pages read is read by itself."
  - Memory is bounded. The source remembers at most O(max_tracked) imports (plus those the current poll read, if
    more); when it must forget, it forgets the ended imports seen longest ago. Imports not yet ended are never
    forgotten.
  - "Faults: HTTP 429 (honouring C(Retry-After)), 502, 503, 504, timeouts and connection errors are retried
    O(request_retries) times by the request itself; a poll that still fails is logged as a warning and tried again
    after a back-off that doubles from O(interval) up to 5 minutes, without ending the source and without losing
    or repeating a change. HTTP 401 or 403 ends the source with one error: the token or its rights are wrong, and
    retrying would not help. The token is never logged."
  - The connection options and their environment variables are those of the collection's modules.
version_added: 1.0.0
author:
  - Sycorr collection maintainers (@sycorr)
options:
  pa_url:
    description:
      - Base URL of the Permission Assist server, for example V(https://pa.example.com), without C(/api).
      - If not set, the value of the E(PA_URL) environment variable is used.
    type: str
    required: true
  pa_token:
    description:
      - API token (Bearer). Never logged.
      - If not set, the value of the E(PA_TOKEN) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - If not set, the value of the E(PA_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificate(s) to trust instead of the system bundle.
      - If not set, the value of the E(PA_CA_PATH) environment variable is used.
    type: path
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
      - If not set, the value of the E(PA_REQUEST_TIMEOUT) environment variable is used.
    type: float
    default: 30
  request_retries:
    description:
      - How many times one request is retried on a connection error, a timeout, HTTP 429, 502, 503 or 504.
      - If not set, the value of the E(PA_REQUEST_RETRIES) environment variable is used.
    type: int
    default: 3
  interval:
    description:
      - Seconds between two polls.
    type: float
    default: 30
  applications:
    description:
      - Emit only the changes of imports of these applications. A GUID is an application id (checked at start),
        any other text a name (exactly one non-archived application with that name, as the modules match it).
      - The source still reads the unfiltered list, so the request budget does not grow with the number of
        applications.
      - Default, every application.
    type: list
    elements: str
  statuses:
    description:
      - Emit only changes to these statuses, any of C(Pending), C(Running), C(Canceling), C(Finished), C(Failed),
        C(Canceled), compared ignoring case.
      - Default, every status (a new import is seen as C(Pending), or as whatever status it has when first seen).
    type: list
    elements: str
  emit_existing:
    description:
      - V(true) makes the first poll emit one event (with C(previous_status) null) for each import it reads,
        page 1 of the list (the 50 newest build starts) and every import not yet started.
      - V(false) makes the first poll a silent baseline.
    type: bool
    default: false
  max_tracked:
    description:
      - How many imports the source remembers at most (at least 100). See the description for what is forgotten.
    type: int
    default: 5000
"""

EXAMPLES = r"""
- name: React to Permission Assist imports
  hosts: all
  sources:
    - name: Failed and finished imports of two applications
      sycorr.permission_assist.import_events:
        pa_url: https://pa.example.com
        pa_token: "{{ vault_pa_token }}"  # or leave both out: PA_URL and PA_TOKEN in the environment
        interval: 30
        applications: [Core Banking, HR Portal]
        statuses: [Failed, Finished]
  rules:
    - name: Say what failed
      condition: event.pa_import.status == "Failed"
      action:
        debug:
          msg: "import #{{ event.pa_import.number }} of {{ event.pa_import.application.name }} failed: {{ event.pa_import.cause }}"
"""

# ansible-rulebook loads this file with runpy, outside any Ansible collection loader: make the folder that holds
# ansible_collections/ importable, so the collection's module_utils (the one API client) can be imported.
import os  # noqa: E402
import sys  # noqa: E402


def _collections_root(path):
    while os.path.dirname(path) != path:
        path = os.path.dirname(path)
        if os.path.basename(path) == "ansible_collections":
            return os.path.dirname(path)
    return None


try:
    import ansible_collections.sycorr.permission_assist.plugins.module_utils.api  # noqa: F401,E402  pylint: disable=unused-import
except ImportError:
    _ROOT = _collections_root(os.path.abspath(__file__))
    if _ROOT is not None and _ROOT not in sys.path:
        sys.path.insert(0, _ROOT)

import asyncio  # noqa: E402
import logging  # noqa: E402
import threading  # noqa: E402

from ansible_collections.sycorr.permission_assist.plugins.module_utils.api import PermissionAssistApi  # noqa: E402
from ansible_collections.sycorr.permission_assist.plugins.module_utils.arguments import check_connection  # noqa: E402
from ansible_collections.sycorr.permission_assist.plugins.module_utils.client import (  # noqa: E402
    Client, RetryPolicy)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.errors import (  # noqa: E402
    ApiError, PermissionAssistError, TransportError)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.import_events import (  # noqa: E402
    ImportWatcher, source_settings)
from ansible_collections.sycorr.permission_assist.plugins.module_utils.secrets import scrub  # noqa: E402

LOGGER = logging.getLogger("sycorr.permission_assist.import_events")
MAX_BACKOFF = 300.0


class SourceStopped(Exception):
    """The source cannot go on: a misconfiguration (bad option, wrong token, unknown application), not a fault."""


class _Stopping(Exception):
    """The source is being stopped while a request waited to be retried."""


def build_watcher(settings, stopping):
    client = Client(settings["pa_url"].strip(), settings["pa_token"].strip(),
                    validate_certs=settings["validate_certs"], ca_path=settings["ca_path"],
                    timeout=settings["request_timeout"], retry_policy=RetryPolicy(retries=settings["request_retries"]),
                    sleep=lambda seconds: _sleep_unless(stopping, seconds))
    return ImportWatcher(PermissionAssistApi(client), applications=settings["applications"],
                         statuses=settings["statuses"], emit_existing=settings["emit_existing"],
                         max_tracked=settings["max_tracked"])


def _sleep_unless(stopping, seconds):
    if stopping.wait(seconds):
        raise _Stopping()


def backoff(interval, failures):
    return min(interval * (2 ** (failures - 1)), max(MAX_BACKOFF, interval))


async def main(queue, args):
    """Poll every ``interval`` seconds and put one event per import status change on ``queue``; runs until stopped."""
    # Neither an event nor a message carries the token, even one templated into an application name.
    secrets = (args.get("pa_token"), os.environ.get("PA_TOKEN"))
    try:
        settings = source_settings(args, os.environ)
        for warning in check_connection(dict(settings)):
            LOGGER.warning("import_events: %s", warning)
    except PermissionAssistError as exc:
        raise SourceStopped(scrub("sycorr.permission_assist.import_events: {0}".format(exc), secrets))
    stopping = threading.Event()
    watcher = build_watcher(settings, stopping)
    interval = settings["interval"]
    failures = 0
    try:
        while True:
            try:
                events = await asyncio.to_thread(watcher.poll)
            except (ApiError, TransportError) as exc:
                if isinstance(exc, ApiError) and exc.status in (401, 403):
                    raise SourceStopped(scrub("sycorr.permission_assist.import_events: {0}; check pa_token (PA_TOKEN): "
                                              "the source stops, retrying would not help".format(exc), secrets))
                failures += 1
                delay = backoff(interval, failures)
                LOGGER.warning("import_events: poll failed (%s); trying again in %.0fs", scrub(str(exc), secrets),
                               delay)
                await asyncio.sleep(delay)
                continue
            except PermissionAssistError as exc:  # an unknown application name or id in `applications`
                raise SourceStopped(scrub("sycorr.permission_assist.import_events: {0}".format(exc), secrets))
            failures = 0
            for event in events:
                await queue.put(scrub(event, secrets))
            LOGGER.debug("import_events: %s", watcher.stats())
            await asyncio.sleep(interval)
    finally:
        stopping.set()
        watcher.api.client.close()


if __name__ == "__main__":
    # Run without ansible-rulebook: print the events (PA_URL and PA_TOKEN from the environment).
    class _PrintQueue:
        async def put(self, event):
            print(event)  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), {"interval": 5}))
