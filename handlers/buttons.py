"""A click on a task card's button acts as the same claim or done typed in the chat."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlite_utils import Database

from handlers import texts
from handlers.context import Context, Incoming, Options, Outcome, UserError
from handlers.dispatch import dispatch
from handlers.registry import HANDLERS
from handlers.team import acting_units, unit_name
from storage import ledger, roster
from storage.errors import NotFound
from storage.models import Group

ACTIONS = ("claim", "done", "view")
# A card's WeCom task_id: unique per card, naming the assignment it shows.
CARD_KEY = re.compile(r"a(?P<assignment>\d{1,12})-[0-9A-Za-z_@-]{1,100}")


@dataclass(frozen=True)
class CardState:
    """What a task card shows about one assignment."""
    assignment_id: int
    number: int
    title: str
    text: str
    deadline: dt.datetime
    unit_id: int
    unit: str
    state: str
    handler: str | None
    claimed_at: dt.datetime | None
    done_at: dt.datetime | None

    @property
    def actions(self) -> tuple[str, ...]:
        """The buttons a card in this state offers."""
        if self.state == "open":
            return ("claim", "done", "view")
        if self.state == "claimed":
            return ("done", "view")
        return ("view",)


@dataclass(frozen=True)
class ClickResult:
    outcome: Outcome
    card: CardState | None  # None: the card's task is gone


def card_key(assignment_id: int, suffix: str) -> str:
    return f"a{assignment_id}-{suffix}"


def assignment_of_key(key: str) -> int | None:
    found = CARD_KEY.fullmatch(key or "")
    return int(found.group("assignment")) if found else None


def card_state(db: Database, assignment_id: int) -> CardState:
    """Read the assignment a card shows (raises NotFound when it is gone)."""
    a = ledger.get_assignment(db, assignment_id)
    task = ledger.get_task_by_id(db, a.task_id)
    handler = roster.get_person(db, a.handler_id).name if a.handler_id else None
    return CardState(a.id, task.number, task.title, task.text, a.deadline, a.unit_id,
                     unit_name(db, a.unit_id), a.state, handler, a.claimed_at, a.done_at)


def group_card(db: Database, group: Group, number: int) -> CardState | None:
    """Return the card of task number's assignment held by the group's unit, if any."""
    community = roster.ancestor(db, group.unit_id, "community")
    try:
        task = ledger.get_task(db, community.id, number) if community else None
    except NotFound:
        return None
    held = [a for a in ledger.assignments_of(db, task.id) if a.unit_id == group.unit_id] \
        if task else []
    live = [a for a in held if a.state in ledger.OPEN_STATES]
    return card_state(db, (live or held)[-1].id) if held else None


def click(db: Database, incoming: Incoming, key: str, action: str,
          options: Options = Options()) -> ClickResult:
    """Run a button click through the registered handler, as if the reply had been typed."""
    assignment_id = assignment_of_key(key)
    try:
        card = card_state(db, assignment_id) if assignment_id and action in ACTIONS else None
    except NotFound:
        card = None
    if card is None:
        return ClickResult(Outcome(texts.CARD_GONE, "refused"), None)
    label = texts.CARD_BUTTONS[action]
    typed = Incoming(incoming.sender, texts.CARD_CLICK_TEXT.format(button=label), incoming.at,
                     incoming.group, incoming.channel, incoming.external_id)
    handle = (lambda ctx: _view(ctx, card)) if action == "view" \
        else (lambda ctx: _act(ctx, card, action))
    outcome = dispatch(db, typed, options, handle=handle)
    return ClickResult(outcome, card_state(db, card.assignment_id))


def _act(ctx: Context, card: CardState, action: str) -> Outcome:
    """Claim or complete the card's own assignment, not another unit's of the same task."""
    if card.unit_id not in acting_units(ctx.db, ctx.person):
        raise UserError(texts.NOT_YOUR_TASK.format(number=card.number,
                                                   action=texts.ACTION_NAMES[action]))
    return HANDLERS[action](ctx, [card.number])


def _view(ctx: Context, card: CardState) -> Outcome:
    who = texts.CARD_VIEW_WHO.format(who=card.handler) if card.handler else ""
    return Outcome(texts.CARD_VIEW.format(number=card.number, title=card.title, text=card.text,
                                          when=texts.when(card.deadline), unit=card.unit,
                                          state=texts.STATE_NAMES[card.state], who=who),
                   "view", (card.number,))
