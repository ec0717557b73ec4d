"""`gridbot outbox [retry]` and `gridbot roster sync`: the WeCom sending side's commands."""

from __future__ import annotations

import argparse
import re

from bot import clock
from bot.config import Settings
from bot.runtime import open_database
from bot.wecom.client import WeComError, WeComUnavailable, client_from_settings
from bot.wecom.contacts import sync_roster
from handlers import texts
from storage import outbox, roster
from storage.outbox import Delivery

HELP = texts.CLI_OUTBOX_HELP


def add_commands(commands) -> None:
    """Add `gridbot outbox` and its `retry` action."""
    box = commands.add_parser("outbox", help=HELP["outbox"])
    box.add_argument("--db", help=texts.CLI_HELP["db"])
    box.set_defaults(run=_list)
    actions = box.add_subparsers(metavar="ACTION")
    retry = actions.add_parser("retry", help=HELP["retry"])
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help=HELP["ids"])
    # SUPPRESS: `gridbot outbox --db X retry` keeps X instead of this parser's default.
    retry.add_argument("--db", default=argparse.SUPPRESS, help=texts.CLI_HELP["db"])
    retry.set_defaults(run=_retry)
    done = actions.add_parser("done", help=HELP["done"])
    done.add_argument("ids", nargs="+", type=int, metavar="ID", help=HELP["ids"])
    done.add_argument("--db", default=argparse.SUPPRESS, help=texts.CLI_HELP["db"])
    done.set_defaults(run=_done)


def add_roster_sync(roster_actions) -> None:
    """Add `gridbot roster sync [--dry-run]` and `roster webhook GROUP URL`."""
    sync = roster_actions.add_parser("sync", help=HELP["sync"])
    sync.add_argument("--dry-run", action="store_true", help=HELP["dry_run"])
    sync.add_argument("--db", help=texts.CLI_HELP["db"])
    sync.set_defaults(run=_sync)
    hook = roster_actions.add_parser("webhook", help=HELP["webhook"])
    hook.add_argument("group", help=HELP["group"])
    hook.add_argument("url", help=HELP["url"])
    hook.add_argument("--db", help=texts.CLI_HELP["db"])
    hook.set_defaults(run=_webhook)


def _list(args, settings: Settings) -> int:
    db = open_database(settings, args.db)
    print(texts.OUTBOX_SUMMARY.format(**outbox.counts(db)))
    waiting = outbox.deliveries(db, ("pending", "sending", "parked"))
    for item in waiting:
        print(_row(db, item))
    if any(item.state == "parked" for item in waiting):
        print(texts.OUTBOX_PARKED_HINT)
    return 0


def _row(db, item: Delivery) -> str:
    if item.group_id is not None:
        to = texts.OUTBOX_TO_GROUP.format(name=roster.get_group(db, item.group_id).name)
    else:
        person = roster.get_person(db, item.person_id)
        to = texts.OUTBOX_TO_PERSON.format(name=person.name, userid=person.userid)
    when = (texts.OUTBOX_NEXT_TRY.format(at=texts.short_time(item.next_attempt_at))
            if item.state == "pending" else
            texts.OUTBOX_CREATED.format(at=texts.short_time(item.created_at)))
    first_line = item.text.strip().splitlines()[0] if item.text.strip() else ""
    row = texts.OUTBOX_ROW.format(id=item.id, state=texts.OUTBOX_STATE_NAMES[item.state], to=to,
                                  kind=item.kind, attempts=item.attempts, when=when,
                                  text=first_line[:60])
    return row + (texts.OUTBOX_ROW_ERROR.format(error=item.last_error) if item.last_error
                  else "")


def _retry(args, settings: Settings) -> int:
    db = open_database(settings, args.db)
    count = outbox.requeue_parked(db, clock.now(), args.ids or None)
    print(texts.OUTBOX_REQUEUED.format(n=count) if count else texts.OUTBOX_NOTHING_PARKED)
    return 0


def _done(args, settings: Settings) -> int:
    db = open_database(settings, args.db)
    count = outbox.confirm_parked(db, clock.now(), args.ids)
    print(texts.OUTBOX_CONFIRMED.format(n=count) if count else texts.OUTBOX_NOTHING_PARKED)
    return 0


def _sync(args, settings: Settings) -> int:
    client = client_from_settings(settings)
    if client is None:
        print(texts.CLI_ERROR.format(error=texts.WECOM_NOT_CONFIGURED))
        return 2
    db = open_database(settings, args.db)
    try:
        _, lines = sync_roster(db, client, args.dry_run)
    except (WeComError, WeComUnavailable) as e:
        print(texts.CLI_ERROR.format(error=texts.WECOM_CALL_FAILED.format(error=e)))
        return 2
    print("\n".join(lines))
    return 0


def _webhook(args, settings: Settings) -> int:
    if not re.fullmatch(r"https?://\S+/webhook/send\?key=[\w-]+", args.url):
        print(texts.CLI_ERROR.format(error=texts.WEBHOOK_BAD_URL.format(url=args.url)))
        return 2
    db = open_database(settings, args.db)
    group = roster.find_group(db, args.group)
    if group is None:
        print(texts.CLI_ERROR.format(error=texts.UNKNOWN_GROUP.format(group=args.group)))
        return 2
    roster.add_group(db, group.name, group.kind, group.unit_id, webhook_url=args.url)
    print(texts.WEBHOOK_SET.format(group=group.name))
    return 0
