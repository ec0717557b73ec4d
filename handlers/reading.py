"""Read Chinese chat: replies, deadlines, task targets and secretary commands (pure functions)."""

from handlers.reading_command import Command, read_command
from handlers.reading_deadline import read_deadline
from handlers.reading_numbers import split_quote, task_numbers
from handlers.reading_reply import AMBIGUOUS, read_reply
from handlers.reading_targets import GridRef, PersonRef, Targets, grids_named, read_targets
from handlers.reading_text import cn_to_int, normalize
from handlers.workdays import WorkCalendar

__all__ = [
    "AMBIGUOUS", "Command", "GridRef", "PersonRef", "Targets", "WorkCalendar", "cn_to_int",
    "grids_named", "normalize", "read_command", "read_deadline", "read_reply", "read_targets",
    "split_quote", "task_numbers",
]
