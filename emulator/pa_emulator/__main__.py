"""Command line: python -m pa_emulator --port 8642 --token pa_demo_token:Demo Automation"""

import argparse
import signal
import sys
import threading

from pa_emulator.server import Emulator


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="pa_emulator", description="Permission Assist API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8642, help="0 picks a free port")
    parser.add_argument("--token", action="append", default=[],
                        help="accepted token, optionally TOKEN:Token Name (repeatable; default pa_demo_token)")
    parser.add_argument("--build-seconds", type=float, default=3.0, help="how long one import builds")
    parser.add_argument("--worker-paused", action="store_true", help="leave staged imports Pending until resumed")
    parser.add_argument("--prefix", default="", help="path prefix, as behind a reverse proxy (e.g. /pa)")
    parser.add_argument("--extra-applications", type=int, default=0, help="add N applications 'Load App 0001'...")
    parser.add_argument("--type-spelling", choices=["API", "Api", "alternate"], default="alternate")
    parser.add_argument("--timestamp-style", choices=["z", "naive"], default="z")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--log-file", help="access log (method, path, status, duration; never headers)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    tokens = {}
    for value in args.token or ["pa_demo_token:Demo Automation"]:
        token, dummy, name = value.partition(":")
        tokens[token] = name or "Emulator Token"
    emulator = Emulator(tokens=tokens, host=args.host, port=args.port, build_seconds=args.build_seconds,
                        worker_paused=args.worker_paused, prefix=args.prefix, tls_cert=args.tls_cert,
                        tls_key=args.tls_key, extra_applications=args.extra_applications,
                        type_spelling=args.type_spelling, timestamp_style=args.timestamp_style, log_file=args.log_file)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *unused: stopped.set())
    emulator.start()
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write(str(emulator.port))
    print("pa-emulator listening on " + emulator.url, flush=True)
    stopped.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
