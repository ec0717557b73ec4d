"""Named errors raised by the ledger; handlers turn them into Chinese replies."""

from __future__ import annotations


class LedgerError(Exception):
    """An expected refusal: nothing was changed."""


class NotFound(LedgerError):
    def __init__(self, what: str, key: object):
        super().__init__(f"{what} not found: {key}")
        self.what = what
        self.key = key


class IllegalTransition(LedgerError):
    """An action that the assignment's state does not allow."""

    def __init__(self, action: str, state: str, assignment_id: int | None = None):
        super().__init__(f"cannot {action} an assignment that is {state}")
        self.action = action
        self.state = state
        self.assignment_id = assignment_id


class RosterError(LedgerError):
    """A roster row that cannot be stored; where names the sheet, row and column."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem
