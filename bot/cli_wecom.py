"""`gridbot serve` and `gridbot check`."""

from __future__ import annotations

import sys

from bot.config import Settings
from bot.serve import serve, wecom_client
from bot.wecom.check import run_check
from handlers import texts


def add_commands(subparsers) -> None:
    """Add serve and check to the gridbot command."""
    run = subparsers.add_parser("serve", help=texts.WECOM_CLI_HELP["serve"])
    run.add_argument("--host", help=texts.CLI_HELP["host"])
    run.add_argument("--port", type=int, help=texts.CLI_HELP["port"])
    run.add_argument("--threads", type=int, default=4, help=texts.WECOM_CLI_HELP["threads"])
    run.add_argument("--no-scheduler", action="store_true",
                     help=texts.WECOM_CLI_HELP["no_scheduler"])
    run.set_defaults(run=_serve)
    check = subparsers.add_parser("check", help=texts.WECOM_CLI_HELP["check"])
    check.add_argument("--url", help=texts.WECOM_CLI_HELP["url"])
    check.set_defaults(run=_check)


def _serve(args, settings: Settings) -> int:
    host, port = args.host or settings.web_host, args.port or settings.web_port
    from bot.wecom.routes import AIBOT_PATH, APP_PATH

    def ready(bound: int) -> None:
        print(texts.SERVE_READY.format(host=host, port=bound, app_path=APP_PATH,
                                       aibot_path=AIBOT_PATH), flush=True)
    serve(settings, host, port, args.threads, ready, scheduler=not args.no_scheduler)
    return 0


def _check(args, settings: Settings) -> int:
    problems = run_check(settings, args.url, wecom_client(settings), sys.stdout)
    return 1 if problems else 0
