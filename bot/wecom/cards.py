"""Task cards: WeCom template_card payloads with 接单 / 办结 / 查看 buttons."""

from __future__ import annotations

import secrets

from handlers import texts
from handlers.buttons import CardState, card_key

SUBTITLE_MAX = 112  # WeCom's suggested limit for sub_title_text
BUTTON_STYLES = {"claim": 1, "done": 2, "view": 4}


def status_line(card: CardState) -> str:
    """Say who did what: "已由 李娜 接单 11-18 09:20", or the state's name."""
    if card.state in ("done", "accepted") and card.handler and card.done_at:
        return texts.CARD_DONE.format(who=card.handler, time=texts.short_time(card.done_at))
    if card.state == "claimed" and card.handler and card.claimed_at:
        return texts.CARD_CLAIMED.format(who=card.handler, time=texts.short_time(card.claimed_at))
    return texts.STATE_NAMES[card.state]


def new_key(card: CardState) -> str:
    """A fresh WeCom task_id for one sent card (WeCom refuses a task_id used before)."""
    return card_key(card.assignment_id, secrets.token_hex(6))


def task_card(card: CardState, key: str, note: str | None = None) -> dict:
    """Build a button_interaction card showing the assignment; note adds one line on top."""
    subtitle = card.text if len(card.text) <= SUBTITLE_MAX else card.text[:SUBTITLE_MAX - 1] + "…"
    payload = {
        "card_type": "button_interaction",
        "source": {"desc": texts.BOT_NAME},
        "main_title": {"title": texts.CARD_TITLE.format(number=card.number, title=card.title),
                       "desc": texts.CARD_DEADLINE.format(when=texts.when(card.deadline))},
        "sub_title_text": subtitle,
        "horizontal_content_list": [
            {"keyname": texts.CARD_UNIT, "value": card.unit},
            {"keyname": texts.CARD_STATE, "value": status_line(card)},
        ],
        "task_id": key,
        "button_list": [{"text": texts.CARD_BUTTONS[a], "style": BUTTON_STYLES[a], "key": a}
                        for a in card.actions],
    }
    if note:
        payload["quote_area"] = {"type": 0, "quote_text": note}
    return payload
