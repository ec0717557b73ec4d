"""The gridbot command."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path

from bot import clock, demo
from bot.config import ConfigError, Settings, load_settings
from bot.cli_console import add_commands as add_console_commands
from bot.cli_wecom import add_commands as add_wecom_commands
from bot import cli_outbox
from bot.cli_schedule import add_commands as add_schedule_commands, replay_until
from bot.scheduler import rules_from
from bot.progress import Progress
from bot.replay import ScriptError, read_script, replay
from bot.runtime import handler_options, open_database, parse_moment
from handlers import texts
from handlers.views import ledger_rows
from handlers.roster_file import RosterFileError, import_roster, read_roster


def main(argv: list[str] | None = None) -> int:
    """Run one gridbot command; errors are printed in plain words, never as a traceback."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args.config or os.environ.get("GRIDBOT_CONFIG"))
        return args.run(args, settings)
    except (ConfigError, RosterFileError, ScriptError) as e:
        print(texts.CLI_ERROR.format(error=e), file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridbot", description=texts.CLI_DESCRIPTION)
    parser.add_argument("--config", help=texts.CLI_HELP["config"])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run_demo = commands.add_parser("demo", help=texts.CLI_HELP["demo"])
    run_demo.add_argument("--host", help=texts.CLI_HELP["host"])
    run_demo.add_argument("--port", type=int, help=texts.CLI_HELP["port"])
    run_demo.add_argument("--db", default=demo.DEMO_DB, help=texts.CLI_HELP["demo_db"])
    run_demo.set_defaults(run=_demo)

    roster_cmd = commands.add_parser("roster", help=texts.CLI_HELP["roster"])
    roster_sub = roster_cmd.add_subparsers(required=True, metavar="ACTION")
    imp = roster_sub.add_parser("import", help=texts.CLI_HELP["roster_import"])
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--db", help=texts.CLI_HELP["db"])
    imp.set_defaults(run=_roster_import)
    cli_outbox.add_roster_sync(roster_sub)

    rep = commands.add_parser("replay", help=texts.CLI_HELP["replay"])
    rep.add_argument("script", type=Path)
    rep.add_argument("--db", help=texts.CLI_HELP["replay_db"])
    rep.add_argument("-o", "--output", type=Path, help=texts.CLI_HELP["output"])
    rep.add_argument("--until", help=texts.CLI_SCHEDULE_HELP["until"])
    rep.set_defaults(run=_replay)

    led = commands.add_parser("ledger", help=texts.CLI_HELP["ledger"])
    led.add_argument("--json", action="store_true", required=True, help=texts.CLI_HELP["json"])
    led.add_argument("--at", help=texts.CLI_HELP["at"])
    led.add_argument("--db", help=texts.CLI_HELP["db"])
    led.set_defaults(run=_ledger)
    add_console_commands(commands)
    add_schedule_commands(commands)
    add_wecom_commands(commands)
    cli_outbox.add_commands(commands)
    return parser


def _demo(args, settings: Settings) -> int:
    db = demo.fresh_demo_db(args.db)
    demo.add_demo_account(db)
    host, port = args.host or settings.web_host, args.port or settings.web_port
    username, password = demo.DEMO_ACCOUNT
    print(texts.DEMO_READY.format(url=f"http://{host}:{port}/", username=username,
                                  password=password))
    demo.serve(db, settings, host, port)
    return 0


def _roster_import(args, settings: Settings) -> int:
    with Progress(2, "import") as bar:  # two steps: read and check the files, then write
        data = read_roster(args.files)
        bar.advance()
        db = open_database(settings, args.db)
        summary = import_roster(db, data)
        bar.advance()
    print(texts.ROSTER_IMPORTED.format(**dataclasses.asdict(summary)))
    return 0


def _replay(args, settings: Settings) -> int:
    try:
        lines = args.script.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ScriptError([texts.FILE_UNREADABLE.format(path=args.script, error=e)]) from None
    script = read_script(lines)
    db = demo.fresh_demo_db(args.db) if args.db is None or not Path(args.db).exists() \
        else open_database(settings, args.db)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        with Progress(len(script), "replay") as bar:
            for post in replay(db, script, handler_options(settings), rules_from(settings),
                               replay_until(args), on_line=bar.advance):
                out.write(json.dumps(post, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _ledger(args, settings: Settings) -> int:
    db = open_database(settings, args.db)
    try:
        at = parse_moment(args.at) if args.at else clock.now()
    except ValueError:
        raise ConfigError(texts.REPLAY_BAD_TIME.format(value=args.at)) from None
    rows = [dataclasses.asdict(r) for r in ledger_rows(db, at)]
    print(json.dumps(rows, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
