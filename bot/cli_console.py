"""Console accounts and ledger export on the command line: `gridbot user add`, `gridbot export`."""

from __future__ import annotations

import datetime as dt
import getpass
import re
import sys
from pathlib import Path

from werkzeug.security import generate_password_hash

from bot import clock
from bot.config import Settings
from bot.export import export_ledger
from bot.progress import Progress
from bot.runtime import open_database, parse_moment
from handlers import texts
from storage import roster, users
from storage.ledger_queries import count_export

H = texts.CLI_CONSOLE_HELP
USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")
MIN_PASSWORD = 8


class CommandError(Exception):
    """A refusal printed in Chinese; nothing was changed."""


def add_commands(subparsers) -> None:
    """Add `user add` and `export ledger` to the gridbot command."""
    user = subparsers.add_parser("user", help=H["user"]).add_subparsers(required=True,
                                                                          metavar="ACTION")
    add = user.add_parser("add", help=H["user_add"])
    add.add_argument("username", help=H["username"])
    add.add_argument("--person", required=True, help=H["person"])
    add.add_argument("--password-stdin", action="store_true", help=H["password_stdin"])
    add.add_argument("--db", help=texts.CLI_HELP["db"])
    add.set_defaults(run=_guarded(user_add))

    export = subparsers.add_parser("export", help=H["export"]).add_subparsers(
        required=True, metavar="WHAT")
    ledger = export.add_parser("ledger", help=H["export_ledger"])
    ledger.add_argument("--from", dest="start", required=True, help=H["from"])
    ledger.add_argument("--to", dest="end", required=True, help=H["to"])
    ledger.add_argument("-o", "--output", required=True, type=Path, help=H["out"])
    ledger.add_argument("--community", help=H["community"])
    ledger.add_argument("--at", help=texts.CLI_HELP["at"])
    ledger.add_argument("--db", help=texts.CLI_HELP["db"])
    ledger.set_defaults(run=_guarded(export_command))


def _guarded(run):
    def guarded(args, settings: Settings) -> int:
        try:
            return run(args, settings)
        except CommandError as e:
            print(texts.CLI_ERROR.format(error=e), file=sys.stderr)
            return 2
    return guarded


def user_add(args, settings: Settings) -> int:
    """Create a console account for a roster person, or reset its password."""
    if not USERNAME.fullmatch(args.username):
        raise CommandError(texts.USER_BAD_NAME.format(value=args.username))
    db = open_database(settings, args.db)
    person = roster.find_person(db, args.person)
    if person is None or person.userid != args.person:
        raise CommandError(texts.USER_PERSON_UNKNOWN.format(person=args.person))
    password = _password(args.password_stdin)
    user, added = users.save_user(db, args.username, person.id,
                                  generate_password_hash(password), clock.now())
    done = texts.USER_ADDED if added else texts.USER_UPDATED
    print(done.format(username=user.username, name=person.name))
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(texts.PASSWORD_PROMPT)
        if getpass.getpass(texts.PASSWORD_AGAIN) != password:
            raise CommandError(texts.PASSWORD_MISMATCH)
    if len(password) < MIN_PASSWORD:
        raise CommandError(texts.PASSWORD_SHORT.format(n=MIN_PASSWORD))
    return password


def export_command(args, settings: Settings) -> int:
    """Write the ledger of tasks issued between two dates to .xlsx or .csv."""
    start, end = _day(args.start), _day(args.end)
    if start > end:
        raise CommandError(texts.EXPORT_BAD_RANGE.format(start=start, end=end))
    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise CommandError(texts.EXPORT_BAD_SUFFIX.format(path=args.output))
    try:
        now = parse_moment(args.at) if args.at else clock.now()
    except ValueError:
        raise CommandError(texts.REPLAY_BAD_TIME.format(value=args.at)) from None
    db = open_database(settings, args.db)
    communities = _communities(db, args.community)
    total = count_export(db, communities, start, end)
    partial = args.output.with_name(args.output.name + ".part")
    try:
        with partial.open("wb") as out, Progress(total, "export") as bar:
            rows = export_ledger(db, out, fmt, communities, start, end, now, bar.advance)
        partial.replace(args.output)
    except OSError as e:
        raise CommandError(texts.EXPORT_CANNOT_WRITE.format(path=args.output, error=e)) from None
    finally:
        partial.unlink(missing_ok=True)  # a failed export leaves no half-written file behind
    print(texts.EXPORT_DONE.format(rows=rows, path=args.output))
    return 0


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(texts.EXPORT_BAD_DATE.format(value=text)) from None


def _communities(db, name: str | None) -> list[int]:
    found = [u for u in roster.list_units(db, "community") if name is None or u.name == name]
    if name is not None and not found:
        raise CommandError(texts.EXPORT_UNKNOWN_COMMUNITY.format(name=name))
    return [u.id for u in found]
