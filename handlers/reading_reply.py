"""Read a grid worker's reply into an intent and the task numbers it means."""

from __future__ import annotations

import re
from typing import Literal

from handlers import reading_words as words
from handlers.reading_numbers import quoted_tasks, split_quote, task_numbers, unique, unmarked_tasks
from handlers.reading_text import CN_CHARS, NUM, cn_to_int, normalize

AMBIGUOUS: Literal["AMBIGUOUS"] = "AMBIGUOUS"
# Done outranks decline: "12号已完成，13号不是我们网格的" must not lose the done report.
# A zero report ("zero", read as done) ranks below decline: "这个在我们网格没有，转给三网格" declines.
RANK = {"other": 0, "question": 1, "claim": 2, "progress": 3, "zero": 3.5, "decline": 4, "done": 5}

# -- intents -----------------------------------------------------------------------

# Voice-to-text has no punctuation: its connectives (然后, 另外, 不过) start a new clause too.
_CLAUSE_SPLIT = re.compile(r"[,;:!。;\n\s]+|(?<!\d)\.+|\.+(?!\d)|(?<=\?)"
                           r"|(?<=[\u4e00-\u9fff])(?=然后|另外|不过|但是|另一个|另外一个|另一项|其他楼|其余)"
                           r"|(?<=[\u4e00-\u9fff])(?<![有剩差约])(?=大概|估计|预计)"
                           r"|(?<=了)(?=今天|昨天|刚才|刚刚|上午|下午|早上|晚上)")
# "12,13号" and "12 13号" are lists, not two clauses: turn the separator into 、 before splitting.
_NUMBER_COMMA = re.compile(rf"(?<=[\d{CN_CHARS}])(?:\s*,\s*|\s+)(?={NUM}\s*号(?!楼|院))")
_TABLES = """
    ASKS_FOR_REPLY NOT_RECEIVED QUESTION DECLINE NOT_DONE PROMISE ALREADY_DONE ZERO
    PROGRESS DONE CLAIM AFFIRMATIVE ACK_CHECK SAME_AS_QUOTED TASK_WORDS ALL REMAINING
    NOT_ABOUT_TASK DECLINE_ASK STEP PROMISE_BY ASKS_SECRETARY APPROVAL_ASK COUNT_SO_FAR
    TOTAL PROMISE_FIRM DISPATCH NOTICE
""".split()  # the tables of reading_words, compiled once
_ASKS_FOR_REPLY, _NOT_RECEIVED, _QUESTION, _DECLINE, _NOT_DONE, _PROMISE, _ALREADY_DONE, _ZERO, \
    _PROGRESS, _DONE, _CLAIM, _AFFIRMATIVE, _ACK_CHECK, _SAME_AS_QUOTED, _TASK_WORDS, _ALL, \
    _REMAINING, _NOT_ABOUT_TASK, _DECLINE_ASK, _STEP, _PROMISE_BY, _ASKS_SECRETARY, \
    _APPROVAL_ASK, _COUNT_SO_FAR, _TOTAL, _PROMISE_FIRM, _DISPATCH, _NOTICE = (
    re.compile(getattr(words, name)) for name in _TABLES)
_TASK_PREFIX = re.compile(rf"^(?:任务|#)?{NUM}\s*号?(?:任务)?:?\s*")
_PAST = re.compile(r"已(?:经)?(?:于|在)")  # "已于今日下午2点前完成反馈": done, not promised
_BUILDING = re.compile(rf"(?<![\d路街巷道弄]){NUM}\s*(?:号楼|#楼|楼|栋|幢|单元|号院|组(?!数据))"  # 3组: a village group
                       r"|(?:我们|咱们?|本)这?(?:栋|楼|单元)")


def _clause_intent(clause: str, whole: bool = False) -> str:
    """Read one clause; the order of the checks is what makes negation and promises work."""
    clause = _APPROVAL_ASK.sub("", clause) or clause
    if _ASKS_FOR_REPLY.search(clause) or _NOT_ABOUT_TASK.search(clause):
        return "other"
    if _ACK_CHECK.search(clause):
        return "claim"
    if _NOT_RECEIVED.search(clause):
        return "question"
    if _DECLINE_ASK.search(clause):
        return "decline"  # "能不能转一下" asks, but what it asks for is a decline
    if _QUESTION.search(clause):
        return "question"
    if _DECLINE.search(clause):
        return "decline"
    if _NOT_DONE.search(clause):
        return "progress"
    if _STEP.search(clause) or _REMAINING.search(clause):
        return "progress"  # "还剩十六户这两天就能弄完": what is left outweighs the promise
    if ((_PROMISE.search(clause) and not _ALREADY_DONE.search(clause)) or _PROMISE_BY.search(clause)
            or _PROMISE_FIRM.search(clause)) and not _PAST.search(clause):
        return "claim"
    if _ZERO.search(clause) or _ZERO.search(_TASK_PREFIX.sub("", clause)):
        return "zero"
    if _PROGRESS.search(clause) or _part_of_total(clause) or _count_so_far(clause):
        return "progress"
    if _DONE.search(clause):
        return "progress" if _is_part(clause) and not whole else "done"  # "5号楼通知完了" is a part
    if _CLAIM.search(clause) or _AFFIRMATIVE.match(clause):
        return "claim"
    return "other"


def _is_part(clause: str) -> bool:
    """"5号楼通知完了" reports one building of the task; "全部12栋都通知到了" the whole, and
    "101室那户已处理" the one household the task is about."""
    return bool(_BUILDING.search(clause)) and not _WHOLE_OR_ONE.search(clause)


_WHOLE_OR_ONE = re.compile(rf"(?<![楼栋幢])(?:全部|所有|各){NUM}?\s*个?(?:号楼|楼栋|栋|幢|楼|单元)|室|[那这]户")
_ONLY_BUILDING = re.compile(r"(?:就|只有)这?[一1]?(?:栋|幢|个楼)")


def _count_so_far(clause: str) -> bool:
    """"已走访12户" counts what is done so far; "一共发了两百份" and "已全部走访12户" are totals."""
    return bool(_COUNT_SO_FAR.search(clause)) and not _TOTAL.search(clause)


_TWO_COUNTS = re.compile(rf"({NUM})[多余来几]?\s*(?P<u1>[户份人家个栋张])(?P<between>.{{0,12}}?)({NUM})[多余来几]?\s*"
                         r"(?P<u2>[户份人家个栋张])")
_SAME_UNIT = ({"人", "个"}, {"户", "家"})


def _part_of_total(clause: str) -> bool:
    """Read "200份问卷发出去120份了" as a part of the total: progress."""
    m = _TWO_COUNTS.search(clause)
    if not m or not (m["u1"] == m["u2"] or {m["u1"], m["u2"]} in _SAME_UNIT) \
            or re.search(r"其中|发现|存在|有", m.group("between")):
        return False  # "走访50户，其中3户…" counts a subset, not what is left
    total, part = cn_to_int(m.group(1)), cn_to_int(m.group(4))
    return total is not None and part is not None and part < total


def _clauses(body: str, known: list[int]) -> list[tuple[str, list[int]]]:
    """Split the reply into clauses, each with the task numbers written in it (with 号, or a
    number of a known task written without: "75 已完成 76还在做")."""
    parts = [p for p in _CLAUSE_SPLIT.split(_NUMBER_COMMA.sub("、", body)) if p and p.strip()]
    return [(p, task_numbers(p) or unmarked_tasks(p, known)) for p in parts]


_CJK = "\u4e00-\u9fff"
_SINGLE_CHARS = re.compile(rf"(?:^|\s)[{_CJK}](?=\s|$)")
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}\d])|(?<=[{_CJK}\d])\s+(?=[{_CJK}])")


def _join_spaced(text: str) -> str:
    """Read "75 号 已 完 成" as "75号已完成": characters typed one by one, not clauses."""
    if len(_SINGLE_CHARS.findall(text)) < 2:
        return text
    return _SPACE_BY_CJK.sub("", text)


def _fix_typos(text: str) -> str:
    """Read typos, pinyin and dialect forms as the plain words the tables know."""
    text = _join_spaced(text)
    for pattern, plain in words.PLAIN_FORMS:
        text = pattern.sub(plain, text)
    return _corrected(text)


_CORRECTION = re.compile(r"(?:说|打|发|写|搞|引用)错了?|更正|纠正")
_NOT_A_BUT_B = re.compile(r"不是[^,]+?,\s*(?:而)?(?:应该|其实)?是(?P<b>.+)$")
_B_NOT_A = re.compile(r"(?:应该|其实)是(?P<b>[^,]+?),?(?:而)?不是[^,]+$")


def _corrected(text: str) -> str:
    """"刚才说错了，不是还剩，是全弄完了": only the corrected statement counts."""
    m = _CORRECTION.search(text)
    if not m:
        return text
    fixed = _NOT_A_BUT_B.search(text, m.end()) or _B_NOT_A.search(text, m.end())
    return fixed.group("b") if fixed else text[m.end():].lstrip(",") or text


# "我不是上午就交了吗", "不是正在弄吗", "能不弄完吗": a question that reports.
_RHETORICAL = re.compile(r"^(?:(?:我|我们)(?:不是|不都|难道不是)|不都|能不|难道不是)(?P<x>[^,]*?(?:完|交|弄|做|办|说了|正在|在弄|派)[^,]*?)"
                         r"(?:吗|么|嘛)\??$")
# "不是正在弄吗，别催了": with a cue that the asker knows the answer, 不是…吗 reports too
_RHETORIC_CUE = re.compile(r"别催|翻翻|看看上面|上面发了|早就")
_RHETORICAL_CUED = re.compile(_RHETORICAL.pattern.replace("^(?:", "^(?:(?:这|那|你)?(?:不是|难道)|", 1))


_ONLY_NUMBERS = re.compile(rf"^(?:任务|工单|第|#|{NUM}|号|[、,/&+\-~和与及跟至到的\s])*$")


def read_reply(text: str, open_tasks: list[int], quoted_task: int | None
               ) -> tuple[str, list[int] | Literal["AMBIGUOUS"]]:
    """Read a reply into (intent, task numbers in ascending order or "AMBIGUOUS"); never raise."""
    try:
        intent, tasks = _read_reply(text, list(open_tasks or []), quoted_task)
    except Exception:  # a reader must never break the bot; unreadable text is chat
        return "other", []
    return intent, tasks if tasks == AMBIGUOUS else sorted(set(tasks))


def _read_reply(text: str, open_tasks: list[int], quoted_task: int | None
                ) -> tuple[str, list[int] | Literal["AMBIGUOUS"]]:
    """Score every clause, keep the most advanced intent, then find its tasks."""
    quoted, body = split_quote(normalize(text))
    body = _fix_typos(body)
    if quoted and _SAME_AS_QUOTED.match(body):
        return _read_reply(quoted, open_tasks, quoted_task)  # "同上" repeats the quoted report
    if quoted and _SAME_AS_QUOTED_START.match(body):
        body = _SAME_AS_QUOTED_START.sub(lambda _: quoted + ",", body, count=1)  # "进度相同，…"
    in_quote = quoted_tasks(quoted, open_tasks)
    start = [quoted_task] if quoted_task is not None else []  # "这个还在弄，344号已经交了": 这个 is the quoted one
    clauses = _spoken(_with_numbers(_clauses(body, open_tasks + in_quote), start))
    whole = bool(_ONLY_BUILDING.search(body))  # "…都查完了，我们网格就这一栋": the building is all
    scored = _still_open([(_clause_intent(c, whole), c, nums) for c, nums in clauses], body)
    intent = max((s[0] for s in scored), key=RANK.__getitem__, default="other")
    same = {"done", "zero"} if intent in ("done", "zero") else {intent}  # "342报零，343也弄完了"
    written = [n for s in scored if s[0] in same for n in s[2]]
    intent = "done" if intent == "zero" else intent
    if intent in ("other", "claim") and _TOTAL.search(body) and _part_of_total(body):
        intent = "progress"  # "退休职工一共38人，认证了30个": a part of the total, across clauses
    if intent != "done" and any(s[0] == "question" and _ASKS_SECRETARY.search(s[1]) for s in scored):
        intent = "question"  # "来不及，能延期吗" asks for time; the reason is not a report
    if intent == "decline" and _NOT_RECEIVED.search(body):
        intent = "question"  # "没收到派单，谁给转一下": 转 forwards the message, it hands nothing on
    if intent in ("claim", "question") and quoted and quoted_task is None and not written \
            and _answers_chat(body, quoted, open_tasks):
        return "other", []  # "是啊" to "今天好冷啊", "晓得了" to a meeting notice: chat
    if intent == "other" and written and _ONLY_NUMBERS.match(body):
        return "claim", unique(written)  # a bare "12号" signs in (or answers "which task?")
    if intent == "question" and not (set(written) & set(open_tasks) or quoted) \
            and (not _TASK_WORDS.search(body) or _CHAT_TOPIC.search(body)):
        intent = "other"  # 明天开会吗, 今天几个人值班: chat, not a question about a task
    if _TO_EVERYONE.search(body) and not written:
        return "other", []  # "今天社区发了3袋米，大家记得来领": a notice to colleagues
    if intent in ("question", "other"):
        return intent, []
    if written:
        return intent, unique(written)
    return intent, _fallback(body, quoted, open_tasks, quoted_task)


_CHAT_TOPIC = re.compile(r"食饭|吃了吗|吃饭|值班|集合|放假|开会|例会|食堂|午饭|中午吃|充电宝|钥匙|快递|停车|羽毛球|发语音|听得到|听到吗|信号")
_TO_EVERYONE = re.compile(r"大家记得|记得来领|大家来领|来社区领|会议室")
_SAME_AS_QUOTED_START = re.compile(r"^(?:我们?|我网格|我们网格|本网格)?(?:这边)?(?:进度|情况)?(?:相同|一样|同上)(?=,)")
_ANSWER = re.compile(r"^(?:没有|没|不是|还没|对|是的|当然)[!~]*$")
_FILLER = re.compile(r"^(?:嗯+|哦+|噢+|啊+|呃+|那个|就是|这个|喂)$")


def _spoken(clauses: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Voice input repeats and hesitates: "弄了 弄了一半" means the second; 嗯 and 那个 say nothing."""
    rhetorical = _RHETORICAL_CUED if any(_RHETORIC_CUE.search(c) for c, _ in clauses) else _RHETORICAL
    clauses = [(rhetorical.sub(r"\g<x>", c), nums) for c, nums in clauses]
    asked = {i for i, (c, _) in enumerate(clauses[:-1])
             if c.endswith("?") and _ANSWER.match(clauses[i + 1][0])}  # "完成了？没有！还差4户"
    asked |= {i + 1 for i in asked}  # the question and its own answer say nothing more
    kept = [(c, nums) for i, (c, nums) in enumerate(clauses) if i not in asked
            and not (i + 1 < len(clauses) and clauses[i + 1][0].startswith(c) and clauses[i + 1][0] != c)]
    if len(kept) > 1:
        kept = [(c, nums) for c, nums in kept if not _FILLER.match(c)] or kept
    return kept


def _answers_chat(body: str, quoted: str, open_tasks: list[int]) -> bool:
    """Does this answer chat or a notice rather than a task? "是啊" to "今天好冷啊", "收到" to
    "明天下午开会": then it claims nothing."""
    if task_numbers(quoted):
        return False
    if _NOTICE.search(quoted):
        return not _ASKS_BY_TIME.search(quoted)  # "明天开会前把台账交上来" asks for work
    if _DISPATCH.search(quoted) and _ASKS_BY.search(quoted):
        return False
    agrees = any(_AFFIRMATIVE.match(c) for c, _ in _clauses(body, open_tasks))
    return agrees and not _CLAIM.search(body) and _read_reply(quoted, open_tasks, None)[0] == "other"


_ASKS_BY_TIME = re.compile(r"之前|以前|前(?:完成|上报|报|交)|截止|报上来|交上来|[报交]一下|统计")
# What makes a quoted message a request for work: someone is asked, or a time is set.
_ASKS_BY = re.compile(r"请|各网格|大家|各位|抓紧|尽快|务必|要求|之前|以前|前(?:完成|上报|报|交)|截止|报上来|交上来|"
                      r"统计一下|落实|谁去|看一下|[报交]一下")


_THIS_ONE = re.compile(r"^(?:这个|这单|这项|这个任务|本任务)")


def _with_numbers(clauses: list[tuple[str, list[int]]], start: list[int]
                  ) -> list[tuple[str, list[int]]]:
    """Let a clause without a number mean the task last named (or the quoted one, or the first
    one named)."""
    current = start or next((nums for _, nums in clauses if nums), [])
    previous_bare, result = False, []
    for clause, nums in clauses:
        if nums:
            current = current + nums if previous_bare else nums  # "12号 13号 都收到"
            previous_bare = bool(_ONLY_NUMBERS.match(clause))
        else:
            previous_bare = False
            if start and _THIS_ONE.match(clause):
                current = start  # "623号的交了，这个还在弄": 这个 is the quoted task
        result.append((clause, current))
    return result


def _still_open(scored: list[tuple[str, str, list[int]]], body: str
                ) -> list[tuple[str, str, list[int]]]:
    """Read "12户已走访，还有3户" as progress: what remains of a task outweighs its done part;
    "进行中，已发放200份" too: a count beside "in progress" is what is done so far; and
    "已完成摸底登记，正在汇总数据": a step done while the next is under way."""
    remaining = {tuple(nums) for _, clause, nums in scored if _REMAINING.search(clause)}
    going = {tuple(nums) for intent, _, nums in scored if intent == "progress"}
    under_way = set() if _TWO_TASKS.search(body) else {
        tuple(nums) for intent, clause, nums in scored if intent == "progress" and _UNDER_WAY.search(clause)}
    closed = {tuple(scored[-1][2])} if scored and _CLOSED.match(scored[-1][1]) else set()
    return [("progress" if intent in ("done", "zero") and tuple(nums) not in closed and (
        tuple(nums) in remaining or tuple(nums) in under_way or (
            tuple(nums) in going and _COUNTED.search(clause) and not _WHOLE_DONE.search(clause)))
        else intent, clause, nums) for intent, clause, nums in scored]


# "老人不在家，下午又去了一趟，已完成": a report that ends by closing the task is done.
_CLOSED = re.compile(r"^(?:已经?|都|全部?)(?:全部)?(?:完成|办结|搞定|弄完|办完|做完|闭环|销号)了?[!~]*$")


_UNDER_WAY = re.compile(r"正在|还在|尚在|仍在|(?:改|行|理|办|查|访|进|推)中")
_TWO_TASKS = re.compile(r"另一个|另外一个|另一项|一个[^,]{0,6}另|"
                        r"^[\u4e00-\u9fff]{2,6}的(?:那个)?[^,]*,[\u4e00-\u9fff]{2,6}的")  # 医保的…，防汛的…


_WHOLE_DONE = re.compile(r"完|毕|全部|都|好|到位|落实|一共|总共|共计|合计")


def _fallback(body: str, quoted: str, open_tasks: list[int], quoted_task: int | None
              ) -> list[int] | Literal["AMBIGUOUS"]:
    """Find the task when none is written: the quote, the only one, 都 = all, else ask."""
    if quoted_task is not None:
        return [quoted_task]
    in_quote = quoted_tasks(quoted, open_tasks)
    if in_quote:
        return in_quote if _means_all(body) else in_quote[:1]
    if len(open_tasks) <= 1:
        return list(open_tasks)
    listed = [int(n) for n in _BARE_NUMBER.findall(body)]
    if len(listed) >= 2 and _BARE_LIST.search(body) and set(listed) <= set(open_tasks):
        return unique(listed)  # "103、104俩都接了": open task numbers, written without 号
    if _means_all(body):
        return sorted(open_tasks)
    return AMBIGUOUS


# "已走访23户，全部登记": with households counted, 全部 and 都 mean those, not the tasks.
_COUNTED = re.compile(rf"{NUM}\s*(?:[户家人份栋幢处条间套遍次趟]|单元|号?楼)|每[户栋幢家人]")
_NAMES_TASKS = re.compile(r"[两俩几三四五]个?(?:任务|事|活|单|都)|任务|事|活|单")


def _means_all(body: str) -> bool:
    """都 / 全部 mean every task, unless they follow counted things (buildings, households,
    calls) named before them or in their own clause: "3号楼和8号楼都走完了"."""
    m = _ALL.search(body)
    if not m:
        return False
    clause_end = _CLAUSE_END.search(body, m.end())
    return bool(_NAMES_TASKS.search(m.group())
                or not _COUNTED.search(body[:clause_end.start() if clause_end else len(body)]))


_CLAUSE_END = re.compile(r"[,.;:!。;\n\s]")


_BARE_LIST = re.compile(r"(?<![\d.])\d{1,4}(?:\s*[、,/和跟与]\s*\d{1,4})+(?![\d.户人家份个栋楼号])")
_BARE_NUMBER = re.compile(r"(?<![\d.])\d{1,4}(?![\d.])")

