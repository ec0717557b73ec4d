"""Every word GridBot says to people, in one place.

Tests compare against these names, never against copies of the text.
"""

from __future__ import annotations

import datetime as dt

BOT_NAME = "网格派单助手"
WEEKDAYS = "一二三四五六日"
STATE_NAMES = {
    "open": "待接单", "claimed": "办理中", "done": "已办结", "accepted": "已验收",
    "declined": "已退单", "transferred": "已转办", "cancelled": "已撤回",
}
EVENT_NAMES = {
    "issued": "派单", "assigned": "分派", "claim": "接单", "progress": "进展", "done": "办结",
    "decline": "退单", "accept": "验收", "return": "退回", "transfer": "转办",
    "reassign": "改派", "extend": "延期", "cancel": "撤回", "cancelled": "任务撤回",
}
EVENT_SUMMARIES = {
    "issued": "派单：{title}", "assigned": "派给{unit}{handler}", "claim": "接单",
    "progress": "进展：{text}", "done": "办结：{text}", "decline": "退单：{reason}",
    "accept": "验收通过", "return": "退回：{reason}", "transfer": "转办给{unit}",
    "reassign": "改派给{who}", "extend": "截止时间改为 {deadline}", "cancel": "撤回（原为{from_state}）",
    "cancelled": "任务撤回",
}
ROLE_NAMES = {"secretary": "社区书记", "grid_worker": "网格员", "building_leader": "楼栋长",
              "volunteer": "志愿者"}


def when(moment: dt.datetime) -> str:
    """Write a moment as people read it in the chat: 11月22日(周五) 17:30."""
    day = f"{moment.month}月{moment.day}日(周{WEEKDAYS[moment.weekday()]})"
    if (moment.hour, moment.minute, moment.second) == (23, 59, 59):
        return day
    return f"{day} {moment:%H:%M}"


def short_time(moment: dt.datetime) -> str:
    return f"{moment:%m-%d %H:%M}"


# -- refusals and bad input -------------------------------------------------
UNKNOWN_PERSON = "抱歉，花名册里没有找到你（{who}），请联系社区书记把你加入花名册。"
UNKNOWN_GROUP = "这个群（{group}）还没有登记到花名册，暂时不能在这里派单或接单。"
EMPTY_TEXT = "消息是空的，请直接输入文字，例如：“收到”“12号已完成”。发送“帮助”查看用法。"
TOO_LONG = "消息太长了（{n} 字），请精简到 {limit} 字以内再发。"
NOT_UNDERSTOOD = "没看懂这条消息。可以回复“收到”“12号已完成”“12号还剩3户”，或发送“帮助”查看用法。"
INTERNAL_ERROR = "抱歉，系统出了点问题，这条消息没有处理，台账未作改动。请稍后再试或联系管理员。"
SECRETARY_ONLY = "只有社区书记可以{action}。如需调整，请联系书记。"
NOT_YOUR_TASK = "任务#{number} 不是派给你所在网格的，不能{action}。"
TASK_NOT_FOUND = "没有找到任务#{number}，请核对任务编号。发送“进度”可查看全部任务。"
NO_OPEN_TASKS = "你所在网格目前没有待办任务。"
NOT_A_TEAM_MEMBER = "你在花名册中没有网格员或楼栋长身份，不能{action}。"
ILLEGAL = "任务#{number} {unit}当前为“{state}”，不能{action}。"
API_BAD_MESSAGE = "请求格式不对：需要 JSON 字段 user（发送人）、text（内容），可选 group（群名称）。"
REPLAY_BAD_LINE = "第{line}行：{problem}"
REPLAY_NOT_JSON = "不是一个 JSON 对象"
REPLAY_MISSING = "缺少或不是字符串的字段“{key}”"
REPLAY_BAD_TIME = "时间“{value}”无法识别，应为带时区的 ISO 时间，如 2024-11-18T08:40:00+08:00"
REPLAY_OUT_OF_ORDER = "脚本中的时间必须按先后顺序排列"
NO_COMMUNITY = "你在花名册中没有所属社区，无法派单，请检查花名册。"

ACTION_NAMES = {
    "claim": "接单", "progress": "报进展", "done": "办结", "decline": "退单",
    "accept": "验收", "return": "退回", "transfer": "转办", "reassign": "改派",
    "extend": "延期", "cancel": "撤回", "issue": "派单", "progress_query": "查询进度",
}

# -- issuing ------------------------------------------------------------------
ASK_TARGETS = ("请说明派给哪些网格，例如：“各网格…”“一、三网格…”“幸福里网格…”或@某人。"
               "请把任务连同对象重新发一遍。")
ASK_DEADLINE = ("请说明截止时间，例如：“本周五前”“明天下午5点前”“3个工作日内”。"
                "请把任务连同截止时间重新发一遍。")
DEADLINE_PAST = "截止时间 {when} 已经过了，请确认截止时间后重新发一遍。"
ISSUED = "【已派单】任务#{number} {title}\n截止：{when}\n对象：{targets}"
ANNOUNCE = "【新任务】任务#{number} {title}\n{text}\n截止：{when}\n请回复“收到”接单，完成后回复“{number}号已完成”并附照片。"
ALL_GRIDS = "全部网格（{n}个）"

# -- worker replies -----------------------------------------------------------
CLAIM_ACK = "任务#{number} 已接单。"
PROGRESS_ACK = "任务#{number} 进展已记录。"
DONE_ACK = "任务#{number} {unit} 已办结，{time} 登记。"
ALREADY_DONE = "任务#{number} {unit} 已经办结登记过了。"
DECLINE_ACK = "任务#{number} {unit} 已退单，书记会另行安排。"
DECLINE_NOTICE = "【退单】任务#{number} {title}：{unit} {who} 退单。原因：{reason}"
ALL_DONE = "任务#{number} {title} 全部办结（{n}个网格）。"
ASK_WHICH = "{who}，请问是哪个任务？{candidates}\n请回复任务编号，例如“{example}号”。"
CANDIDATE = "#{number} {title}"
QUESTION_NOTED = "你的问题已记录，书记会在群里答复。你目前的待办：{tasks}"

# -- secretary commands ---------------------------------------------------------
ASK_WHICH_GRID = "任务#{number} 有多个网格，请说明是哪个网格，例如“{number}号三网格{action}”。"
NOTHING_TO_DO = "任务#{number} 没有可以{action}的网格（{states}）。"
TRANSFERRED = "任务#{number} 已由{from_unit}转办给{to_unit}。"
TRANSFER_NOTICE = "【转办】任务#{number} {title}\n由{from_unit}转来，截止：{when}\n请回复“收到”接单。"
REASSIGNED = "任务#{number} {unit} 已改派给{who}。"
REASSIGN_NOTICE = "【改派】任务#{number} {title} 改由 {who} 负责，截止：{when}。"
EXTENDED = "任务#{number} {units} 截止时间延至 {when}。"
EXTEND_NOTICE = "【延期】任务#{number} {title} 截止时间延至 {when}。"
EXTEND_PAST = "新的截止时间 {when} 已经过了，请重新说明。"
EXTEND_NO_DATE = "请说明延期到什么时候，例如“4号三网格延期到11月25日”。"
RETURNED = "任务#{number} {unit} 已退回：{reason}"
RETURN_NOTICE = "【退回】任务#{number} {title} 请补充：{reason}"
NO_REASON = "（未说明原因）"
ACCEPTED = "任务#{number} 已验收：{units}。"
CANCELLED = "任务#{number} {title} 已撤回。"
ALREADY_CANCELLED = "任务#{number} 已经撤回过了。"
CANCEL_NOTICE = "【撤回】任务#{number} {title} 已撤回，无需再办。"
PERSON_NOT_FOUND = "花名册里没有找到“{name}”，请核对姓名。"
UNIT_NOT_FOUND = "没有找到这个网格，请核对网格名称。"

PROGRESS_HEAD = "任务#{number} {title}（截止 {when}）"
PROGRESS_ROW = "{unit}：{state}{who}{late}"
PROGRESS_LATE = "，逾期"
PROGRESS_EMPTY = "目前没有未完成的任务。"
PROGRESS_ALL_HEAD = "未完成的任务："
PROGRESS_ALL_ROW = "#{number} {title}：已办结 {done}/{total}，截止 {when}{late}"

HELP = """【网格派单助手 用法】
书记派单：直接说任务、对象和截止时间，例如
  “各网格本周五前完成独居老人走访，拍照反馈”
  “一、三网格明天下午5点前通知停水”
网格员回复：收到 / 12号已完成（可附照片）/ 12号还剩3户 / 不是我们网格的
书记指令：
  3号转四网格 · 8号改派孙梅 · 4号三网格延期到11月25日
  12号八网格退回，补照片 · 12号验收 · 5号撤回 · 12号进度 · 进度"""


# -- command line --------------------------------------------------------------
CLI_DESCRIPTION = "网格派单助手 GridBot：在企业微信群里派单、接单、催办、记台账。"
CLI_ERROR = "错误：{error}"
CLI_HELP = {
    "config": "配置文件（TOML），默认用内置配置；也可用环境变量 GRIDBOT_CONFIG",
    "demo": "用演示花名册启动本地模拟器（无需企业微信账号）",
    "host": "监听地址，默认 127.0.0.1",
    "port": "端口，默认 8600",
    "demo_db": "演示数据库文件（每次启动清空重建）",
    "db": "数据库文件，默认取配置中的 database.path",
    "roster": "花名册",
    "roster_import": "从 .xlsx 或 .csv 导入花名册（单位、人员、群聊）",
    "replay": "按脚本（JSON Lines）回放消息，输出机器人发出的每条消息",
    "replay_db": "回放使用的数据库；不存在时新建并导入演示花名册",
    "output": "把机器人消息写入该文件（默认输出到屏幕）",
    "ledger": "输出台账",
    "json": "以 JSON 输出每个派单",
    "at": "以该时间判断是否逾期（ISO 时间，带时区），默认现在",
}
DEMO_READY = "网格派单助手演示已启动：在浏览器打开 {url}  （Ctrl+C 停止）"
FILE_UNREADABLE = "无法读取文件 {path}：{error}"


# -- roster files ------------------------------------------------------------------
SHEET_TITLES = {"units": "单位", "people": "人员", "groups": "群聊"}
UNIT_KIND_NAMES = {"street": "街道", "community": "社区", "grid": "网格", "building": "楼栋"}
GROUP_KIND_NAMES = {"big": "大群", "small": "小群"}
LIST_SEP = "、"

# -- where a problem is ---------------------------------------------------------
AT_CELL = "{sheet} 第{row}行「{column}」：{problem}"
AT_FILE = "{file}：{problem}"
SAME_SHEET_ROW = "第{row}行"
OTHER_SHEET_ROW = "{sheet} 第{row}行"

# -- files and sheets -------------------------------------------------------------
NO_FILES = "没有提供花名册文件，请提供 .xlsx 工作簿或 .csv 文件"
FILE_MISSING = "找不到这个文件"
FILE_TYPE = "不支持的文件类型，请使用 Excel 工作簿（.xlsx）或 CSV 文件（.csv）"
FILE_NOT_WORKBOOK = "无法打开，这不是有效的 Excel 工作簿（.xlsx）；请在 Excel 中“另存为”.xlsx 或 CSV 后再试"
FILE_ENCODING = "无法识别文字编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
CSV_UNKNOWN_HEADER = "无法识别这是哪张表，第1行表头应为以下之一：{expected}"
SHEET_MISSING = "缺少「{title}」表（表头应有 {columns}）"
WORKBOOK_SHEET_MISSING = "缺少工作表「{title}」（表头应有 {columns}）"
COLUMN_MISSING = "缺少这一列"

# -- cells ------------------------------------------------------------------------
CELL_EMPTY = "不能为空"
UNKNOWN_KIND = "无法识别的类型“{value}”，应为 {expected}"
UNKNOWN_ROLE = "无法识别的角色“{value}”，应为 {expected}"
UNKNOWN_UNIT = "找不到单位“{value}”，请先在「单位」表中登记"
AMBIGUOUS_UNIT = "单位“{value}”有重名（{paths}），请写成“{example}”的形式"
PARENT_CYCLE = "单位“{name}”的上级关系绕成了圈"
TOP_HAS_PARENT = "街道是最上级单位，「上级」应为空，不能是“{parent}”"
NEEDS_PARENT = "{kind}“{name}”必须填写上级{expected}"
BAD_PARENT_KIND = "{kind}“{name}”的上级应为{expected}，而“{parent}”是{actual}"
DUPLICATE_UNIT = "单位“{name}”重复登记，与{first}相同"
BAD_ORDINAL = "编号“{value}”不是正整数"
ORDINAL_NEEDED = "网格“{name}”的名称里没有编号，请填写「编号」"
ORDINAL_MISMATCH = "编号{value}与名称“{name}”不一致（名称表示第{derived}网格）"
DUPLICATE_ORDINAL = "编号{value}与{first}的网格重复"
BAD_USERID = "账号“{value}”只能由字母、数字和 _ - @ . 组成，以字母或数字开头，最长64个字符"
DUPLICATE_USERID = "账号“{value}”与{first}重复"
DUPLICATE_GROUP = "群名称“{value}”与{first}重复"
GROUP_UNIT_KIND = "{group_kind}应属于{expected}，而“{unit}”是{actual}"

# -- the result -------------------------------------------------------------------
ROSTER_IMPORTED = ("花名册已导入：单位 新增{units_added}、更新{units_updated}、未变{units_unchanged}；"
                  "人员 新增{people_added}、更新{people_updated}、未变{people_unchanged}；"
                  "群聊 新增{groups_added}、更新{groups_updated}、未变{groups_unchanged}。")
