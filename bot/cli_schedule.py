"""The schedule's commands: gridbot summary, gridbot recurring."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from bot import clock
from bot.config import ConfigError, Settings
from bot.runtime import open_database, parse_moment
from handlers import texts
from handlers.context import UserError
from handlers.recurring import change_state, list_text
from handlers.summary import Summary, monthly_summary, render_markdown, weekly_summary
from storage import recurring as store, roster
from storage.errors import NotFound
from storage.models import Unit


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `summary` and `recurring` to the gridbot command."""
    summary = commands.add_parser("summary", help=texts.CLI_SCHEDULE_HELP["summary"])
    period = summary.add_mutually_exclusive_group(required=True)
    period.add_argument("--week", help=texts.CLI_SCHEDULE_HELP["week"])
    period.add_argument("--month", help=texts.CLI_SCHEDULE_HELP["month"])
    summary.add_argument("--community", help=texts.CLI_SCHEDULE_HELP["community"])
    summary.add_argument("--chart", type=Path, help=texts.CLI_SCHEDULE_HELP["chart"])
    summary.add_argument("--no-rank", action="store_true", help=texts.CLI_SCHEDULE_HELP["no_rank"])
    summary.add_argument("--db", help=texts.CLI_HELP["db"])
    summary.set_defaults(run=run_summary)

    recurring = commands.add_parser("recurring", help=texts.CLI_SCHEDULE_HELP["recurring"])
    recurring.add_argument("action", choices=("list", "pause", "resume", "stop"))
    recurring.add_argument("number", type=int, nargs="?",
                           help=texts.CLI_SCHEDULE_HELP["recurring_id"])
    recurring.add_argument("--community", help=texts.CLI_SCHEDULE_HELP["community"])
    recurring.add_argument("--db", help=texts.CLI_HELP["db"])
    recurring.set_defaults(run=run_recurring)


def replay_until(args: argparse.Namespace) -> dt.datetime | None:
    """Read replay's --until, refusing a time without its zone."""
    value = getattr(args, "until", None)
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise ConfigError(texts.REPLAY_BAD_TIME.format(value=value)) from None


def run_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Print the week's or month's summary as markdown; write the chart when asked."""
    db = open_database(settings, args.db)
    community = pick_community(db, args.community)
    summary = build_summary(db, community, args.week, args.month, clock.now(),
                            rank=settings.schedule_rankings and not args.no_rank)
    print(render_markdown(summary))
    if args.chart:
        from bot.charts import render_chart  # matplotlib loads only when a chart is asked for
        render_chart(summary, args.chart)
        print(texts.CLI_CHART_WRITTEN.format(path=args.chart))
    return 0


def build_summary(db: Database, community: Unit, week: str | None, month: str | None,
                  now: dt.datetime, rank: bool) -> Summary:
    if week is not None:
        try:
            start = dt.date.fromisoformat(week)
        except ValueError:
            raise ConfigError(texts.CLI_BAD_WEEK.format(value=week)) from None
        return weekly_summary(db, community.id, start, now, rank=rank)
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ConfigError(texts.CLI_BAD_MONTH.format(value=month)) from None
    return monthly_summary(db, community.id, first, now, rank=rank)


def pick_community(db: Database, name: str | None) -> Unit:
    """Return the named community, or the only one there is."""
    communities = roster.list_units(db, "community")
    names = "、".join(c.name for c in communities) or texts.SUMMARY_NONE
    if name is not None:
        found = [c for c in communities if c.name == name]
        if not found:
            raise ConfigError(texts.CLI_NO_COMMUNITY.format(name=name, names=names))
        return found[0]
    if len(communities) != 1:
        if not communities:
            raise ConfigError(texts.CLI_NO_COMMUNITY.format(name="", names=names))
        raise ConfigError(texts.CLI_WHICH_COMMUNITY.format(names=names))
    return communities[0]


def run_recurring(args: argparse.Namespace, settings: Settings) -> int:
    """List recurring tasks, or pause, resume or stop one by its number."""
    db = open_database(settings, args.db)
    community = pick_community(db, args.community)
    if args.action == "list":
        print(list_text(db, community.id))
        return 0
    if args.number is None:
        raise ConfigError(texts.CLI_SCHEDULE_HELP["recurring_id"])
    try:
        rec = store.get_recurring(db, community.id, args.number)
        print(change_state(db, rec, args.action))
    except NotFound:
        raise ConfigError(texts.RECURRING_NOT_FOUND.format(number=args.number)) from None
    except UserError as e:
        raise ConfigError(str(e)) from None
    return 0
