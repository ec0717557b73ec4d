"""Read a grid worker's reply into an intent and the task numbers it means."""

from __future__ import annotations

import re
from typing import Literal

from handlers.reading_text import CN_CHARS, NUM, cn_to_int, normalize

AMBIGUOUS: Literal["AMBIGUOUS"] = "AMBIGUOUS"
# Done outranks decline: "12号已完成，13号不是我们网格的" must not lose the done report.
RANK = {"other": 0, "question": 1, "claim": 2, "progress": 3, "decline": 4, "done": 5}

# -- task numbers ------------------------------------------------------------------

_LIST_SEP = r"\s*(?:[、,/&+]|和|与|及|跟)\s*"
_RANGE_SEP = r"\s*(?:-|~|至|到)\s*"
# After N号 these make it a building, room, date or time, not a task.
_NOT_TASK_AFTER = (r"(?!\s*(?:楼|栋|幢|院|门|单元|室|房|床|线|口|地块|车|窗|柜|箱|机|仓|铺|库|"
                   r"前|之前|以前|截止|为止|左右|上午|下午|中午|晚|早|凌晨|夜|白天|以后|之后|开始|"
                   r"出发|起|当天|那天|这天|周|星期|礼拜|\d|[零〇一二两三四五六七八九十]+点))")
_TASK_GROUP = re.compile(
    rf"(?<![\d月年栋楼幢单元弄路街巷村组室区期号/.:-])"
    rf"(?P<group>{NUM}(?:\s*号?(?:{_LIST_SEP}|{_RANGE_SEP}){NUM}){{0,12}})\s*号{_NOT_TASK_AFTER}")
_TASK_TAGGED = re.compile(rf"(?:任务|工单|单子)\s*(?:#|编号|号)?\s*(?P<n>{NUM})(?![\d户人家份个项栋楼])"
                          rf"|#\s*(?P<m>\d{{1,5}}|{NUM})")
_DATE_BEFORE = re.compile(r"(?:今天|明天|后天|本月|下月|下个月|这个月|月|日期|时间)\s*$")


def task_numbers(text: str) -> list[int]:
    """Return the task numbers written in normalised text, in order, without duplicates."""
    found: list[tuple[int, list[int]]] = []
    for m in _TASK_TAGGED.finditer(text):
        value = cn_to_int(m.group("n") or m.group("m"))
        if value:
            found.append((m.start(), [value]))
    for m in _TASK_GROUP.finditer(text):
        if _DATE_BEFORE.search(text[:m.start()]):
            continue
        found.append((m.start(), _expand(m.group("group"))))
    numbers: list[int] = []
    for _, values in sorted(found, key=lambda f: f[0]):
        numbers += [v for v in values if v not in numbers]
    return numbers


def _expand(group: str) -> list[int]:
    """Read 12、13 / 12-14 / 十二至十四 as a list of numbers."""
    parts = re.split(rf"({_LIST_SEP}|{_RANGE_SEP})", group.replace("号", ""))
    values: list[int] = []
    pending_range = False
    for part in parts:
        if re.fullmatch(_RANGE_SEP, part):
            pending_range = True
            continue
        if re.fullmatch(_LIST_SEP, part):
            continue
        value = cn_to_int(part)
        if value is None:
            continue
        if pending_range and values and 0 < value - values[-1] <= 20:
            values += range(values[-1] + 1, value + 1)
        else:
            values.append(value)
        pending_range = False
    return [v for v in values if v > 0]


# -- quotes ------------------------------------------------------------------------

_QUOTE = re.compile(r"^\s*[「『\"“](?P<quoted>.*?)[」』\"”]\s*(?:\n?\s*(?:-\s*){3,})?\s*(?P<body>.*)$",
                    re.S)


def split_quote(text: str) -> tuple[str, str]:
    """Split a WeCom quote reply into (quoted text, own reply); no quote gives ("", text)."""
    m = _QUOTE.match(text)
    if not m:
        return "", text
    quoted = m.group("quoted")
    quoted = quoted.split(":", 1)[1] if ":" in quoted[:20] else quoted  # drop "发送人："
    return quoted, m.group("body")


# -- intents -----------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[,.;!。;\n\s]+|(?<=\?)")
# "12,13号" is a list, not two clauses: turn its comma into 、 before splitting.
_NUMBER_COMMA = re.compile(rf"(?<=[\d{CN_CHARS}])\s*,\s*(?={NUM}\s*号(?!楼|院))")
_QUESTION = re.compile(
    r"\?|吗|么$|能否|能不能|可不可以|可否|是否|是不是|有没有|哪(?!怕)|什么|啥|怎么|怎样|"
    r"如何|几号|几点|几[张个份户次天遍页]|多久|多少|为何|为啥|要不要|用不用|需不需要|需要.*不|请问|咨询|确认一下|咋|嘛时候|"
    r"(?:发|给|传)(?:一下|下)(?:吧|呗)?$|重发|再发一")
_NOT_RECEIVED = re.compile(r"(?:没|未|没有)(?:收到|看到|接到)(?:任务|通知|消息)?")
_DECLINE = re.compile(
    r"不是(?:我们?|本)(?:网格|社区|片区?|辖区|小区|这边|这里|的|[\u4e00-\u9fff]{1,3}的)|"
    r"(?<!回)归(?!我|档|还|类|纳|口)[^,]{0,6}(?:网格|社区|管)|不归我们?|不属于(?:我们?|本)|"
    r"不在(?:我们?|本)(?:网格|辖区|片区)|非(?:我|本)(?:网格|辖区)|转给|转交|转办|请?安排别人|另派|"
    r"换(?:个)?人|退单|无法(?:承接|办理|接)|接不了|办不了|做不了|干不了|不接|转过去|转到(?!\d)|"
    r"属于(?!我|本)[^,]{1,8}(?:网格|社区)|安排别(?:的|人|个)|另(?:行)?安排|换(?:个|别的)网格|"
    r"是(?:隔壁|别的|其他|其它|另一个?)(?:社区|网格|片区|小区)|应该是[^,]{1,6}(?:网格|社区)的|"
    r"(?:网格|我们|这边|这里)(?:没有|无)(?:这个|此|该|这)(?:小区|楼|地址|户|单位|人|家)")
_NOT_DONE = re.compile(
    r"(?:还|尚|仍)(?:没|未)(?!收到|接到|看到)|(?:还|尚|仍)?(?:没|未|没有)(?:有)?(?:全部|完全)?(?:完成|完|弄完|做完|办完|办结|搞定|结束|好|落实|"
    r"走访完|解决|处理|上报|反馈|弄好|做好|整改|走访|联系上|开始|动手|去)|完不成|弄不完|做不完|来不及|(?:还|尚)未|不能完成|完成不了")
_PROMISE = re.compile(
    r"(?:(?<![目当])前|之前|以前|内|会|将|能|可以|争取|保证|确保|一定|尽快|尽量|马上|立即|立刻|按时|按期|准时|稍后|"
    r"晚点|回头|今天|明天|今晚|下午|上午|晚上|周.|坚决|务必)(?:把|将)?(?:任务)?(?:完成|办结|落实|上报|反馈|报送|"
    r"提交|办好|搞定|弄好|弄完|做完|办完|搞完|报上去|报上来|报|交)(?![上去过来]{0,2}[了啦咧])")
_ZERO = re.compile(
    r"^(?:本网格|我网格|我们网格|辖区内?|网格内)?(?:暂|均)?(?:无|没有)(?:此类|相关|异常|情况|问题|人员|隐患|"
    r"发现|需要上报的?|此情况)?(?:情况|人员)?$|报零|零报告|零上报|未发现|没有?发现|无异常|一切正常|"
    r"网格(?:内|里)?(?:暂|均)?(?:没有|无)|(?:经|已)(?:排查|核实|摸排|核查)[,，]?(?:暂)?(?:无|没有)|"
    r"没(?:有)?(?:这|此|这个|这种|该|相关)(?:类|种)?(?:情况|人员?|问题|户|隐患)|报0|0报告|^[0零]$")
_DONE = re.compile(
    r"完成|办结|办完|做完|弄完|干完|搞完|整完|完毕|完工|搞定|搞掂|落实|已?反馈|销号|齐活|弄毕|毕咧|妥了|"
    r"妥妥|好了|弄好|办好|做好|处理好|解决|已?上报|已?报送|已提交|提交了|报上去|交了|已交|报了|"
    r"通知到(?:户|位|人)|全部通知|都通知|已处理|处理完|已整改|整改完|已清理|清理完|完事|走到了|走遍|跑遍|"
    r"(?:贴|挂|填|录|传|送|交)(?:好|完|上|过)了|"
    r"已(?:经)?(?:电话|微信|短信|上门|入户|逐户|全部|都)?(?:补|入户|发放|张贴|录入|上传|核实|排查|走访|通知|登记|统计|"
    r"报|发|完成)|[\u4e00-\u9fff]完了|ok了|ok啦|✅|☑|✔|发(?:到|在)?群里?了|"
    r"都(?:走访|通知|排查|清理|处理|发|上报|登记|统计|核实|检查|完成|办)[^,]{0,2}了|"
    r"(?:走访|通知|排查|清理|处理|上报|登记|统计|核实|检查|整改|张贴|发放|上传|反馈|录入)(?:过)?了")
_PROGRESS = re.compile(
    r"正在|在(?:做|弄|办|走访|排查|统计|处理|整理|路上|跟进|落实)|还剩|剩下|剩余|还有\s*\d|还差|一半|大半|"
    r"还有[一两二三四五六七八九十几]+[户家人个份栋]|"
    r"部分|进行中|推进中|陆续|跟进中|处理中|办理中|明天交|晚点交|稍后|快好了|快完了|马上好|\d+\s*/\s*\d+|"
    r"(?<!\d)[1-9]?\d\s*%|(?:目前|现已|现在|当前|截至目前|暂时)[^,]{0,4}[\d一两二三四五六七八九十]|"
    r"还在[\u4e00-\u9fff]|打不通|联系不上|已?(?:走访|通知|排查|统计|登记|入户|发放|联系|核实)了?\s*\d+|落实中|分头|"
    r"已(?:经)?(?:联系|沟通|对接)|(?:有|还有)[\d一两二三四五六七八九十几]+\s*[户家人个]\s*(?:不在家|没人|联系不上|不配合|未|没)")
_BUILDING = re.compile(rf"{NUM}\s*(?:号楼|楼|栋|幢|单元|号院)")
_CLAIM = re.compile(
    r"收到|收悉|接单|接收|领取|领了|认领|签收|我来|我去|俺来|额来|已接|接了|好的|好滴|好嘞|得嘞|明白|知道了|"
    r"了解|马上|立即|立刻|这就去|没问题|没麻达|接到|已阅|^阅$|知悉|(?<!不)知道[嘞啦咧]?|(?<!不)晓得|坚决|^妥$|^中嘞?$|^行$|^可以$|嗯嗯|^嗯$|^ok|👌|\[ok\]|^1+$|"
    r"安排|去办|遵命|这就|^中+[嘞了]?$|^好[的滴嘞啊呀]?$|"
    r"(?:今天|明天|后天|下午|上午|晚上|中午|晚点|待会|等会|一会|点钟?|一早)(?:就|再)?去")
# "收到请回复" repeats the secretary's request; it acknowledges nothing.
_ASKS_FOR_REPLY = re.compile(r"收到请?回复?|请回复|回复收到")
_ALREADY_DONE = re.compile(r"已(?:经)?(?:完成|办结|落实|上报|反馈)")


def _clause_intent(clause: str, in_building: bool) -> str:
    """Read one clause; the order of the checks is what makes negation and promises work."""
    if _ASKS_FOR_REPLY.search(clause):
        return "other"
    if _NOT_RECEIVED.search(clause):
        return "question"
    if _QUESTION.search(clause):
        return "question"
    if _DECLINE.search(clause):
        return "decline"
    if _NOT_DONE.search(clause):
        return "progress"
    if _PROMISE.search(clause) and not _ALREADY_DONE.search(clause):
        return "claim"
    if _ZERO.search(clause):
        return "done"
    if _PROGRESS.search(clause):
        return "progress"
    if _DONE.search(clause):
        return "progress" if in_building else "done"
    if _CLAIM.search(clause):
        return "claim"
    return "other"


def _clauses(body: str) -> list[tuple[str, list[int]]]:
    """Split the reply into clauses, each with the task numbers written in it."""
    parts = [p for p in _CLAUSE_SPLIT.split(_NUMBER_COMMA.sub("、", body)) if p and p.strip()]
    return [(p, task_numbers(p)) for p in parts]


_DIALECT = ((re.compile(r"以(?=完成|办结|落实|反馈|处理|上报|走访|通知|接|收到)"), "已"),  # commonest typo
            (re.compile(r"木有|么有|莫有|冇"), "没有"),
            (re.compile(r"俺|(?<![金数限余定超差总份名])额(?![度外头])|咱(?=们)"), "我"),
            (re.compile(r"(?<=们)[滴哒]"), "的"),
            (re.compile(r"(?<=[弄做办搞整干走访好完])咧"), "了"))  # Shaanxi 弄好咧 = 弄好了


def _fix_typos(text: str) -> str:
    """Read typos and dialect forms as the plain words the patterns know."""
    for pattern, plain in _DIALECT:
        text = pattern.sub(plain, text)
    return text


_TASK_WORDS = re.compile(
    r"任务|台账|模板|表|截止|时限|期限|延|照片|材料|资料|上报|报送|反馈|提交|填|交|要求|标准|格式|名单|户|"
    r"走访|排查|完成|办结|做|弄|办|发给|发到|收到|通知|拍|下载|宽限|推迟|纸质|电子|附件|上传|具体|搞|写|"
    r"网格|签字|盖章|数据|统计|核实")
_ALL = re.compile(
    r"(?:两个|俩|二个|这两个|几个|所有|全部|这些|两项|两件|两条)(?:任务)?(?:都|均)?|"
    r"(?:都|均|全都)(?:已经?)?[\u4e00-\u9fff]{0,2}?(?:收到|完成|办结|搞定|落实|反馈|接|领|处理|好|ok|完|在|毕)")
_ONLY_NUMBERS = re.compile(rf"^(?:任务|工单|第|#|{NUM}|号|[、,/&+\-~和与及跟至到的\s])*$")


def read_reply(text: str, open_tasks: list[int], quoted_task: int | None
               ) -> tuple[str, list[int] | Literal["AMBIGUOUS"]]:
    """Read a reply into (intent, task numbers or "AMBIGUOUS"); never raise."""
    try:
        return _read_reply(text, list(open_tasks or []), quoted_task)
    except Exception:  # a reader must never break the bot; unreadable text is chat
        return "other", []


def _read_reply(text: str, open_tasks: list[int], quoted_task: int | None
                ) -> tuple[str, list[int] | Literal["AMBIGUOUS"]]:
    """Score every clause, keep the most advanced intent, then find its tasks."""
    quoted, body = split_quote(normalize(text))
    body = _fix_typos(body)
    clauses = _with_numbers(_clauses(body))
    in_building = bool(_BUILDING.search(body))
    scored = _still_open([(_clause_intent(c, in_building), c, nums) for c, nums in clauses])
    intent = max((s[0] for s in scored), key=RANK.__getitem__, default="other")
    written = [n for s in scored if s[0] == intent for n in s[2]]
    if intent == "other" and written and _ONLY_NUMBERS.match(body):
        return "claim", _unique(written)  # a bare "12号" signs in (or answers "which task?")
    if intent == "question" and not (_TASK_WORDS.search(body) or written or quoted):
        intent = "other"  # 明天开会吗 is chat, not a question about a task
    if intent in ("question", "other"):
        return intent, []
    if written:
        return intent, _unique(written)
    return intent, _fallback(body, quoted, open_tasks, quoted_task)


def _with_numbers(clauses: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """Let a clause without a number mean the task last named (or the first one named)."""
    current = next((nums for _, nums in clauses if nums), [])
    previous_bare, result = False, []
    for clause, nums in clauses:
        if nums:
            current = current + nums if previous_bare else nums  # "12号 13号 都收到"
            previous_bare = bool(_ONLY_NUMBERS.match(clause))
        else:
            previous_bare = False
        result.append((clause, current))
    return result


_REMAINING = re.compile(r"还剩|还有\s*\d|还有[一两二三四五六七八九十几]+[户家人个份栋]|还差|剩下|剩余|"
                        r"有[\d一两二三四五六七八九十几]+\s*[户家人个]\s*(?:不在家|没人|联系不上|不配合|未|没)")


def _still_open(scored: list[tuple[str, str, list[int]]]) -> list[tuple[str, str, list[int]]]:
    """Read "12户已走访，还有3户" as progress: what remains of a task outweighs its done part."""
    open_groups = {tuple(nums) for _, clause, nums in scored if _REMAINING.search(clause)}
    return [("progress" if intent == "done" and tuple(nums) in open_groups else intent,
             clause, nums) for intent, clause, nums in scored]


def _fallback(body: str, quoted: str, open_tasks: list[int], quoted_task: int | None
              ) -> list[int] | Literal["AMBIGUOUS"]:
    """Find the task when none is written: the quote, the only one, 都 = all, else ask."""
    if quoted_task is not None:
        return [quoted_task]
    in_quote = task_numbers(quoted) if quoted else []
    if in_quote:
        return in_quote[:1]
    if len(open_tasks) <= 1:
        return list(open_tasks)
    if _ALL.search(body):
        return sorted(open_tasks)
    return AMBIGUOUS


def _unique(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(numbers))
