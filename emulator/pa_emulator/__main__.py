"""Command line: PYTHONPATH=emulator python -m pa_emulator --port 0 --token "pa_demo_token:Demo Automation" """

import argparse
import os
import signal
import sys
import threading

from pa_emulator.emulator import Emulator
from pa_emulator.store import PENDING_SORTS, TIMESTAMP_STYLES, TYPE_SPELLINGS
from pa_emulator.worker import CANCEL_RACES, CANCEL_SECONDS

DEFAULT_TOKEN = "pa_demo_token:Demo Automation"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="pa_emulator", description="Permission Assist API emulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8642, help="port (default 8642; 0 picks a free one)")
    parser.add_argument("--token", action="append", default=[], metavar="TOKEN[:Name]",
                        help="accepted token and its name (repeatable; default " + DEFAULT_TOKEN + ")")
    parser.add_argument("--build-seconds", type=float, default=3.0, help="how long one import builds (default 3)")
    parser.add_argument("--cancel-seconds", type=float, default=CANCEL_SECONDS,
                        help="how long a canceled Running import stays Canceling (default {0:g})".format(CANCEL_SECONDS))
    parser.add_argument("--cancel-race", choices=CANCEL_RACES, default="canceled",
                        help="what a canceled Running import ends as (default canceled)")
    parser.add_argument("--pending-sort", choices=PENDING_SORTS, default="last",
                        help="where never-started imports sort in the import list (default last)")
    parser.add_argument("--stage-omits-application", action="store_true",
                        help="stage answers without the application object (as the stage reference shows)")
    parser.add_argument("--hide-connector", action="store_true",
                        help="application details without the connector configuration (a server that hides it)")
    parser.add_argument("--upload-limit", type=int, metavar="BYTES",
                        help="answer 413 to an upload whose body is larger than BYTES (default: no limit)")
    parser.add_argument("--worker-paused", action="store_true", help="leave staged imports Pending until resumed")
    parser.add_argument("--prefix", default="", help="path prefix, as behind a reverse proxy (e.g. /pa)")
    parser.add_argument("--extra-applications", type=int, default=0, metavar="N",
                        help="add N applications 'Load App 0001'... with empty history")
    parser.add_argument("--extra-mix", action="store_true",
                        help="give the extra applications a fixed mix of histories and states (see README)")
    parser.add_argument("--type-spelling", choices=TYPE_SPELLINGS, default="alternate",
                        help="type of API-staged imports (default: alternate API / Api)")
    parser.add_argument("--timestamp-style", choices=TIMESTAMP_STYLES, default="z",
                        help="z: 2026-03-01T02:00:05Z (default); naive: no offset")
    parser.add_argument("--tls-cert", help="PEM certificate (chain): serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--log-file", help="access log file, '-' for stderr (method, path, status, duration only)")
    args = parser.parse_args(argv)
    if args.tls_key and not args.tls_cert:
        parser.error("--tls-key needs --tls-cert")
    return args


def parse_tokens(values):
    tokens = {}
    for value in values or [DEFAULT_TOKEN]:
        token, dummy, name = value.partition(":")
        if not token:
            raise SystemExit("pa_emulator: --token needs a token before ':'")
        tokens[token] = name.strip() or "Emulator Token"
    return tokens


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    emulator = Emulator(parse_tokens(args.token), host=args.host, port=args.port, build_seconds=args.build_seconds,
                        worker_paused=args.worker_paused, prefix=args.prefix, tls_cert=args.tls_cert,
                        tls_key=args.tls_key, extra_applications=args.extra_applications,
                        type_spelling=args.type_spelling, timestamp_style=args.timestamp_style, log_file=args.log_file,
                        extra_mix=args.extra_mix, cancel_seconds=args.cancel_seconds, cancel_race=args.cancel_race,
                        pending_sort=args.pending_sort, stage_omits_application=args.stage_omits_application,
                        hide_connector=args.hide_connector, upload_limit=args.upload_limit)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *unused: stopped.set())
    emulator.start()
    if args.port_file:
        partial = args.port_file + ".partial"
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(str(emulator.port))
        os.replace(partial, args.port_file)  # readers never see a half-written file
    print("pa-emulator listening on " + emulator.url, flush=True)
    while not stopped.wait(0.5):
        pass
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
