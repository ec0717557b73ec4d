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
DEMO_READY = ("网格派单助手演示已启动：在浏览器打开 {url}  （Ctrl+C 停止）\n"
              "书记工作台：{url}console/  账号 {username}  密码 {password}")
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
BAD_WEBHOOK = "“{value}”不是群机器人的 Webhook 地址，应以 https:// 开头（群设置 → 消息推送 → 复制地址）"
GROUP_UNIT_KIND = "{group_kind}应属于{expected}，而“{unit}”是{actual}"

# -- the result -------------------------------------------------------------------
ROSTER_IMPORTED = ("花名册已导入：单位 新增{units_added}、更新{units_updated}、未变{units_unchanged}；"
                  "人员 新增{people_added}、更新{people_updated}、未变{people_unchanged}；"
                  "群聊 新增{groups_added}、更新{groups_updated}、未变{groups_unchanged}。")


# -- WeCom receiving: group binding, task cards, photos, serve/check -------------------
CHAT_NOT_BOUND = ("这个群还没有绑定到花名册里的群聊，暂时不能在这里派单或接单。"
                  "请社区书记在群里 @我 说“本群绑定为 群名称”。")
BIND_OFFER = ("这个群还没有绑定到花名册。请回复“本群绑定为 群名称”，例如“本群绑定为 {example}”。\n"
              "尚未绑定的群：{groups}")
BIND_NONE_LEFT = "这个群还没有绑定到花名册，而花名册里的群都已绑定。请先在花名册里登记这个群，再回复“本群绑定为 群名称”。"
BIND_UNKNOWN = "花名册里没有叫“{name}”的群。尚未绑定的群：{groups}"
BOUND = "本群已绑定为「{group}」（{unit}），以后在这里派单、接单都会记入台账。"
BIND_LOCAL = "本地模拟器里的群按名称对应花名册，不需要绑定。"
NONE_LISTED = "无"

CARD_BUTTONS = {"claim": "接单", "done": "办结", "view": "查看"}
CARD_BUTTON_AFTER = {"claim": "已接单", "done": "已办结"}
CARD_TITLE = "任务#{number} {title}"
CARD_DEADLINE = "截止 {when}"
CARD_UNIT = "网格"
CARD_STATE = "状态"
CARD_CLAIMED = "已由 {who} 接单 {time}"
CARD_DONE = "已由 {who} 办结 {time}"
PERSONAL_CARD = "【任务卡片】任务#{number} {title}\n截止：{when}\n点卡片上的“接单”“办结”，或在这里回复。"
CARD_CLICK_TEXT = "（点击任务卡片“{button}”按钮）"
CARD_VIEW = "任务#{number} {title}\n{text}\n截止：{when}\n{unit}：{state}{who}"
CARD_VIEW_WHO = "（{who}）"
CARD_GONE = "这张卡片对应的任务已不存在，请发送“进度”查看当前任务。"

PHOTO_KEPT = "照片已记入任务#{number} {unit}（共 {n} 张）。"
PHOTO_NO_REPORT = "收到照片。没有找到你今天的办结或进展登记，请先回复“12号已完成”，再补发照片。"
PHOTO_FAILED = "照片没能从企业微信取回，请稍后重发一次。"

WECOM_CLI_HELP = {
    "serve": "用生产级 WSGI 服务器（waitress）运行网页与企业微信回调",
    "check": "检查企业微信相关配置（密钥长度、回调地址、能否取到 access_token），用大白话列出问题",
    "url": "对外的回调地址前缀，例如 https://grid.example.cn",
    "threads": "处理请求的线程数，默认 4",
    "no_scheduler": "不运行定时任务（提醒、周报）和发送队列；多开网页进程时，只让一个进程运行它们",
}
SERVE_READY = "网格派单助手已启动：http://{host}:{port}/  自建应用回调 {app_path}，智能机器人回调 {aibot_path}（Ctrl+C 停止）"
CHECK_OK = "✔ {what}"
CHECK_BAD = "✘ {what}：{problem}"
CHECK_SKIP = "－ {what}：{why}"
CHECK_WHAT = {"app_keys": "自建应用回调密钥", "aibot_keys": "智能机器人回调密钥", "url": "回调地址",
              "fill_url": "在管理后台填这个地址", "no_secret": "没有配置自建应用的 Secret，跳过"}
CHECK_PROBLEMS = {
    "channel": "现在是 local（本地模拟器）；要接入企业微信，请在配置里写 [channel] kind = \"wecom\"",
    "no_corp_id": "没有填写 CorpID（管理后台 → 我的企业 → 企业信息 → 企业ID）",
    "no_keys": "{section} 的 token 或 encoding_aes_key 没有填写（不用这个通道可以不填）",
    "self_test": "{section} 的密钥无法完成加解密自检",
    "bad_key": "{section} 的 encoding_aes_key 无法使用（{error}），请重新随机获取并复制完整的 43 位",
    "url_scheme": "应以 https:// 开头，例如 https://grid.example.cn",
    "url_query": "只填地址前缀，不要带 ? 或 # 后面的部分",
    "url_local": "{host} 是本机或内网地址，企业微信服务器访问不到，请用公网域名",
    "corp_id": "CorpID 不对：请到 管理后台 → 我的企业 → 企业信息 复制“企业ID”",
    "secret": "Secret 不对：请到 应用管理 → 自建应用 → Secret 点“查看”，在企业微信里接收后复制",
    "ip": "本机的出口 IP 不在应用的“企业可信IP”里：请在 应用管理 → 自建应用 → 企业可信IP 中添加",
    "refused": "企业微信拒绝了：{code} {message}",
    "unreachable": "连不上企业微信（{error}），请检查网络或代理",
}
CHECK_SUMMARY_OK = "配置检查通过。"
CHECK_SUMMARY_BAD = "发现 {n} 个问题，请按上面的提示修改配置后再运行 gridbot check。"


# -- the secretary's web console, Excel export, progress bar (issue 6) -------------------
CONSOLE_TITLE = "书记工作台"
CONSOLE_NAV = {"tasks": "任务", "new": "派单", "grids": "网格", "overdue": "逾期",
               "summaries": "汇总", "roster": "花名册", "export": "导出台账"}
CONSOLE_SIGNED_IN_AS = "{name}（{role}）"
CONSOLE_SIGN_OUT = "退出"
CONSOLE_LOGIN_TITLE = "登录书记工作台"
CONSOLE_USERNAME = "账号"
CONSOLE_PASSWORD = "密码"
CONSOLE_LOGIN_BUTTON = "登录"
CONSOLE_LOGIN_HINT = "账号由管理员用 gridbot user add 建立。"
CONSOLE_LOGIN_FAILED = "账号或密码不对，请重新输入。"
CONSOLE_SIGNED_OUT = "已退出登录。"
CONSOLE_SESSION_EXPIRED = "登录已过期，请重新登录。"
CONSOLE_LOGIN_REQUIRED = "请先登录。"
CONSOLE_CSRF_FAILED = "页面已过期或来源不明，操作没有执行，台账未作改动。请刷新页面后重试。"
CONSOLE_FORBIDDEN = "你没有权限进行这项操作，台账未作改动。"
CONSOLE_SECRETARY_ONLY = "只有社区书记可以使用这个功能，台账未作改动。"
CONSOLE_NOT_FOUND = "没有找到这个页面或任务（也可能不属于你的社区）。"
CONSOLE_ERROR = "抱歉，系统出了点问题，操作没有执行，台账未作改动。请稍后再试或联系管理员。"
CONSOLE_STALE = "页面上的情况已经变了，操作没有执行。请刷新后再试。"
CONSOLE_BACK = "返回任务列表"
CONSOLE_ROLE_NONE = "无角色"

CONSOLE_TASKS_TITLE = "任务"
CONSOLE_FILTER = {"state": "状态", "grid": "网格", "issuer": "派单人", "from": "下发日期起",
                  "to": "下发日期止", "overdue": "只看逾期未办结", "search": "搜索",
                  "search_hint": "任务内容或编号", "apply": "筛选", "clear": "清除",
                  "all": "全部"}
CONSOLE_TASK_COLUMNS = {"number": "编号", "title": "任务", "issuer": "派单人",
                        "issued": "下发时间", "deadline": "截止", "progress": "办结",
                        "late": "逾期", "state": "状态"}
CONSOLE_PROGRESS = "{finished}/{live}"
CONSOLE_LATE_COUNT = "{n}个网格"
CONSOLE_NO_TASKS = "没有符合条件的任务。"
CONSOLE_TOTAL = "共 {n} 项"
CONSOLE_PAGE = "第 {page}/{pages} 页"
CONSOLE_PAGE_PREV = "上一页"
CONSOLE_PAGE_NEXT = "下一页"
TASK_STATE_NAMES = {"open": "进行中", "cancelled": "已撤回"}

CONSOLE_TASK_HEAD = "任务#{number} {title}"
CONSOLE_TASK_META = {"issuer": "派单人", "issued": "下发时间", "deadline": "截止时间",
                     "text": "原文", "state": "任务状态"}
CONSOLE_GRID_COLUMNS = {"unit": "网格", "handler": "责任人", "state": "状态", "claimed": "接单",
                        "done": "办结", "timing": "是否按时", "accepted": "验收",
                        "actions": "操作"}
CONSOLE_ON_TIME = "按时"
CONSOLE_DAYS_LATE = "逾期{days}天"
CONSOLE_NOT_DUE = "未到期"
CONSOLE_ACTIONS = {"accept": "验收", "return": "退回", "extend": "延期", "transfer": "转办",
                   "cancel": "撤回任务"}
CONSOLE_RETURN_REASON = "退回原因（网格员会在群里看到）"
CONSOLE_RETURN_NEEDS_REASON = "请写明退回原因，网格员才知道要补什么。台账未作改动。"
CONSOLE_EXTEND_DATE = "延期到（日期）"
CONSOLE_EXTEND_TIME = "时间（可不填：当天结束）"
CONSOLE_EXTEND_ALL = "延期全部未办结网格"
CONSOLE_EXTEND_GRID = "延期的网格"
CONSOLE_BAD_DATE = "日期或时间“{value}”无法识别，请用日期选择框选择。台账未作改动。"
CONSOLE_TRANSFER_TO = "转给"
CONSOLE_CANCEL_CONFIRM = "确定撤回任务#{number}？各网格会收到撤回通知。"
CONSOLE_TASK_ACTIONS = "任务操作"
CONSOLE_REPORTS = "进展与照片"
CONSOLE_REPORT_KINDS = {"progress": "进展", "done": "办结", "attachment": "补充照片",
                        "return": "退回"}
CONSOLE_NO_REPORTS = "还没有进展或照片。"
CONSOLE_PHOTO = "照片{n}"
CONSOLE_HISTORY = "完整记录"
CONSOLE_HISTORY_COLUMNS = {"at": "时间", "actor": "操作人", "unit": "网格", "what": "内容"}
# What the ledger's message log records for a console action: it reads like the chat command.
CONSOLE_COMMAND_LOG = {
    "accept": "（工作台）{number}号{unit}验收", "return": "（工作台）{number}号{unit}退回，{reason}",
    "extend": "（工作台）{number}号{unit}延期到{when}", "transfer": "（工作台）{number}号转{unit}",
    "cancel": "（工作台）{number}号撤回",
}

CONSOLE_NEW_TITLE = "派单"
CONSOLE_NEW_LABEL = "任务内容"
CONSOLE_NEW_HINT = ("像在工作群里一样写：对象网格、截止时间和要求。例如："
                    "“各网格本周五前完成独居老人走访，拍照反馈”“一、三网格明天下午5点前通知停水”。")
CONSOLE_NEW_BUTTON = "派单"
CONSOLE_NOT_A_TASK = ("没看出这是一条任务：请写明派给哪些网格和截止时间，例如"
                      "“一、三网格明天下午5点前通知停水”。任务没有下发。")
CONSOLE_OPEN_TASK = "查看任务#{number}"

CONSOLE_GRIDS_TITLE = "网格"
CONSOLE_GRID_LOAD = {"grid": "网格", "open": "未办结", "late": "其中逾期", "waiting": "待验收"}
CONSOLE_GRID_OPEN = "未完成的工作"
CONSOLE_GRID_WEEK = "本周情况（{period}）"
CONSOLE_FIGURES = {"issued": "派单", "claimed": "已接单", "done": "已办结", "on_time": "按时办结",
                   "overdue": "逾期", "still_open": "未办结", "returned": "被退回",
                   "on_time_rate": "按时率"}
CONSOLE_NO_OPEN_WORK = "没有未完成的工作。"
CONSOLE_PEOPLE = "人员"
CONSOLE_RATE = "{rate:.0%}"
CONSOLE_NO_RATE = "—"

CONSOLE_OVERDUE_TITLE = "逾期未办结"
CONSOLE_OVERDUE_HINT = "按截止时间从早到晚排列，催办对象是各网格的责任人。"
CONSOLE_OVERDUE_COLUMNS = {"task": "任务", "unit": "网格", "handler": "催办对象", "deadline": "截止",
                           "late": "已逾期", "state": "状态"}
CONSOLE_NO_OVERDUE = "没有逾期未办结的任务。"
CONSOLE_UNASSIGNED = "（未指定责任人）"

CONSOLE_SUMMARY_KINDS = {"week": "周报", "month": "月报"}
CONSOLE_SUMMARY_PREV = {"week": "上一周", "month": "上个月"}
CONSOLE_SUMMARY_NEXT = {"week": "下一周", "month": "下个月"}
CONSOLE_SUMMARY_UNAVAILABLE = "汇总功能还没有安装，暂时无法查看周报和月报。"
CONSOLE_CHART_ALT = "各网格完成情况图"
CONSOLE_SUMMARY_PERIOD = "{start} 至 {end}"

CONSOLE_ROSTER_TITLE = "花名册"
CONSOLE_ROSTER_SECTIONS = {"units": "单位", "people": "人员", "groups": "群聊与绑定"}
CONSOLE_ROSTER_COLUMNS = {"name": "名称", "kind": "类型", "parent": "上级", "userid": "账号",
                          "roles": "角色", "unit": "所属单位", "phone": "电话",
                          "chatid": "企业微信群", "webhook": "群机器人"}
CONSOLE_BOUND = "已绑定"
CONSOLE_UNBOUND = "未绑定"
CONSOLE_IMPORT = "导入花名册"
CONSOLE_IMPORT_HINT = "选择 .xlsx 工作簿（单位、人员、群聊三张表）或 .csv 文件，可多选。有错误时不会导入任何内容。"
CONSOLE_IMPORT_BUTTON = "导入"
CONSOLE_IMPORT_NO_FILE = "请先选择花名册文件。"
CONSOLE_IMPORT_FAILED = "花名册有以下问题，没有导入任何内容："
CONSOLE_IMPORT_OTHER_COMMUNITY = "花名册里有其他社区（{names}），这里只能导入本社区（{own}）的花名册。没有导入任何内容。"
CONSOLE_IMPORT_TAKEN = ("花名册里的 {names} 已属于其他社区，不能从{own}导入或修改（同一账号、同名群在全区只能有一个）。"
                        "没有导入任何内容；请核对账号和群名称，或请管理员处理。")

CONSOLE_EXPORT_TITLE = "导出台账"
CONSOLE_EXPORT_HINT = "按下发日期导出：每个网格的每项任务一行，第二张表是各网格统计。"
CONSOLE_EXPORT_FROM = "下发日期起"
CONSOLE_EXPORT_TO = "下发日期止"
CONSOLE_EXPORT_XLSX = "下载 Excel"
CONSOLE_EXPORT_CSV = "下载 CSV"
CONSOLE_EXPORT_BAD_RANGE = "请选择起止日期（起始日期不能晚于截止日期）。"
EXPORT_FILE_NAME = "台账_{start}_{end}.{suffix}"

EXPORT_SHEET = "台账"
EXPORT_HEADERS = ("任务编号", "任务内容", "下发时间", "截止时间", "网格", "责任人", "接单时间",
                  "办结时间", "是否逾期", "验收", "销号状态")
EXPORT_COMMUNITY_HEADER = "社区"
EXPORT_GRID_SHEET = "各网格统计"
EXPORT_GRID_HEADERS = ("社区", "网格", "派单数", "已接单", "已办结", "按时办结", "逾期", "未办结",
                       "被退回", "按时率")
EXPORT_YES = "是"
EXPORT_NO = "否"
EXPORT_ACCEPTANCE = {"accepted": "已验收", "done": "待验收", "returned": "退回{n}次，整改中"}
EXPORT_CLOSING = {"accepted": "已销号", "cancelled": "已撤回", "transferred": "已转办",
                  "declined": "已退单"}
EXPORT_NOT_CLOSED = "未销号（{state}）"

CLI_CONSOLE_HELP = {
    "user": "书记工作台的登录账号",
    "user_add": "新建工作台账号，或重设已有账号的密码（关联花名册中的人）",
    "username": "登录用的账号名",
    "person": "花名册中此人的账号（userid），例如 wangshuji",
    "password_stdin": "从标准输入读取密码（一行），便于脚本使用",
    "export": "导出",
    "export_ledger": "把台账导出为 Excel（.xlsx）或 CSV（.csv）",
    "from": "下发日期起（YYYY-MM-DD）",
    "to": "下发日期止（YYYY-MM-DD，含当天）",
    "out": "输出文件，以 .xlsx 或 .csv 结尾",
    "community": "只导出这个社区（默认全部社区）",
}
USER_ADDED = "已新建工作台账号 {username}（{name}），在网页 /console/ 登录。"
USER_UPDATED = "已重设工作台账号 {username}（{name}）的密码。"
USER_PERSON_UNKNOWN = "花名册里没有账号为“{person}”的人，请先导入花名册。"
USER_BAD_NAME = "账号名“{value}”只能由字母、数字和 _ - . @ 组成，长度 2–64。"
PASSWORD_PROMPT = "密码："
PASSWORD_AGAIN = "再输一次："
PASSWORD_MISMATCH = "两次输入的密码不一致，账号没有建立。"
PASSWORD_SHORT = "密码至少 {n} 位，账号没有建立。"
EXPORT_DONE = "已导出 {rows} 行到 {path}"
EXPORT_BAD_DATE = "日期“{value}”无法识别，应为 YYYY-MM-DD，例如 2024-11-01"
EXPORT_BAD_RANGE = "起始日期 {start} 晚于截止日期 {end}"
EXPORT_BAD_SUFFIX = "输出文件应以 .xlsx 或 .csv 结尾：{path}"
EXPORT_UNKNOWN_COMMUNITY = "没有找到社区“{name}”"
EXPORT_CANNOT_WRITE = "无法写入 {path}：{error}"
PROGRESS_LABELS = {"export": "导出台账", "import": "导入花名册", "replay": "回放脚本"}
PROGRESS_LINE = "{label} {bar} {percent:3.0f}% {done}/{total}"


# -- schedule: reminders, overdue notices, escalation, summaries, recurring tasks (issue 5) --
REMIND_HEADS = {
    "claim": "【接单提醒】以下任务派出已超过{after}，还没有接单，请回复“收到”接单：",
    "due": "【到期提醒】以下任务快到截止时间了，还没有办结，请抓紧：",
    "overdue": "【逾期通报】以下任务已过截止时间，仍未办结：",
    "escalation": "【督办】以下任务逾期未办结，请督促：",
}
REMIND_ROW = "#{number} {title}（{unit}，截止 {when}）"
OVERDUE_ROW = "#{number} {title}（{unit}{who}，截止 {when}）"
ESCALATION_ROW = "#{number} {title} · {unit} · {who} · 逾期{days}天"
REMIND_TAIL = "办结后请回复“{number}号已完成”。"
NO_HANDLER = "未指定经办人"
HOURS = "{n}小时"
MINUTES = "{n}分钟"

SUMMARY_KIND_NAMES = {"week": "周报", "month": "每月通报"}
SUMMARY_TITLE = "## {community}{kind}（{start}—{end}）"
SUMMARY_WEEK_SPAN = "{m1}月{d1}日"
SUMMARY_TOTALS = ("全社区：派单 {issued}，接单 {claimed}，办结 {done}（按时 {on_time}），"
                  "逾期 {overdue}，未办结 {still_open}，退回 {returned}，按时办结率 {rate}")
SUMMARY_COMPARE = "比上{period}：办结 {done}，逾期 {overdue}，按时办结率 {rate}"
SUMMARY_PERIOD_NAMES = {"week": "周", "month": "月"}
SUMMARY_NO_PREVIOUS = "上{period}没有数据可比。"
SUMMARY_GRIDS_RANKED = "### 各网格排名（按按时办结率、办结数）"
SUMMARY_GRIDS = "### 各网格"
SUMMARY_GRID_HEAD = "| 名次 | 网格 | 派单 | 接单 | 办结 | 按时 | 逾期 | 未办结 | 按时率 |"
SUMMARY_GRID_HEAD_PLAIN = "| 网格 | 派单 | 接单 | 办结 | 按时 | 逾期 | 未办结 | 按时率 |"
SUMMARY_GRID_ROW = "| {rank} | {unit} | {issued} | {claimed} | {done} | {on_time} | {overdue} | {still_open} | {rate} |"
SUMMARY_GRID_ROW_PLAIN = "| {unit} | {issued} | {claimed} | {done} | {on_time} | {overdue} | {still_open} | {rate} |"
SUMMARY_OVERDUE = "### 逾期未办结（{n}项）"
SUMMARY_OVERDUE_ROW = "- #{task} {title} · {unit} · {handler} · 逾期{days}天"
SUMMARY_NO_OVERDUE = "### 逾期未办结：无"
SUMMARY_WORKERS_RANKED = "### 网格员排名（按按时办结率、办结数）"
SUMMARY_WORKERS = "### 网格员"
SUMMARY_WORKER_ROW = "{rank}. {person}（{unit}）：办结 {done}，按时 {on_time}，逾期 {overdue}，退回 {returned}，按时率 {rate}"
SUMMARY_WORKER_ROW_PLAIN = "- {person}（{unit}）：办结 {done}，按时 {on_time}，逾期 {overdue}，退回 {returned}，按时率 {rate}"
SUMMARY_RULE = "> 排名只看办结、按时、逾期、退回等办事结果，不统计在线时长、发言次数或打卡。"
SUMMARY_MORE = "……另有 {n} 项，详见台账"
SUMMARY_NONE = "—"
CHART_TITLE = "{community}{kind} {start}—{end} 各网格办结与逾期"
CHART_DONE = "办结"
CHART_ON_TIME = "其中按时"
CHART_OVERDUE = "逾期"
CHART_EMPTY = "本期没有派单"

RECURRING_SET = ("【周期任务{number}】已设置：{schedule}布置“{title}”，对象：{targets}，首次截止：{deadline}。"
                 "每次布置都是一个新任务，有自己的编号。发送“周期任务”查看，“暂停周期任务{number}”暂停。")
RECURRING_WEEKLY = "每周{weekday}"
RECURRING_MONTHLY = "每月{day}日"
RECURRING_DEADLINE_SAME = "当天"
RECURRING_PREFIX = "【周期任务{number}】"
RECURRING_NO_DEADLINE = "请说明每次的截止时间，例如“从本周起每周一布置七个必访，周五前完成”。"
RECURRING_NO_TASK = "请说明每次布置什么任务，例如“从本周起每周一布置七个必访，周五前完成”。"
RECURRING_LIST_HEAD = "周期任务："
RECURRING_LIST_ROW = "{number}. {title} · {schedule} · {targets} · {state}"
RECURRING_LIST_EMPTY = "目前没有周期任务。书记可以说“从本周起每周一布置七个必访，周五前完成”来设置。"
RECURRING_STATES = {"active": "进行中", "paused": "已暂停", "stopped": "已停止"}
RECURRING_CHANGED = "周期任务{number}“{title}”{state}。"
RECURRING_NOT_FOUND = "没有找到周期任务{number}。发送“周期任务”查看全部。"
RECURRING_STOPPED_ALREADY = "周期任务{number}已经停止，不能再{action}。"
RECURRING_ACTIONS = {"pause": "暂停", "resume": "恢复", "stop": "停止"}

CLI_SCHEDULE_HELP = {
    "summary": "输出周报或每月通报（Markdown），可同时生成图表",
    "week": "周报：这一周的周一，例如 2024-11-18",
    "month": "每月通报：月份，例如 2024-11",
    "community": "社区名称（默认：唯一的社区）",
    "chart": "把各网格办结与逾期柱状图写入这个 PNG 文件",
    "no_rank": "不排名，按网格顺序列出",
    "recurring": "周期任务：list 列出，pause/resume/stop 暂停、恢复、停止",
    "recurring_id": "周期任务编号",
    "until": "脚本结束后继续按模拟时钟运行到这个时间（ISO 时间，带时区），输出定时消息",
}
CLI_BAD_WEEK = "“{value}”不是日期，应为 YYYY-MM-DD，例如 2024-11-18"
CLI_BAD_MONTH = "“{value}”不是月份，应为 YYYY-MM，例如 2024-11"
CLI_NO_COMMUNITY = "数据库里没有社区“{name}”。现有社区：{names}"
CLI_WHICH_COMMUNITY = "数据库里有多个社区，请用 --community 指定：{names}"
CLI_SUMMARY_ONE_OF = "请指定 --week 或 --month 之一"
CLI_CHART_WRITTEN = "图表已写入 {path}"


# -- WeCom sending: the outbox sender and roster sync (bot/wecom/, bot/cli_outbox.py) ------
OUTBOX_NO_WEBHOOK = ("群“{group}”还没有配置群机器人的 Webhook 地址，消息发不出去。"
                     "请运行 gridbot roster webhook {group} 地址 设置后，再运行 gridbot outbox retry。")
OUTBOX_CARD_GONE = "任务卡片对应的任务已不存在（可能已删除），不再发送。"
OUTBOX_NO_IMAGE = "图片文件 {path} 读不出来（{error}），没有发出。"
OUTBOX_UNSURE = ("发送途中程序中断，无法确定企业微信是否已经收到（群机器人不会自动去重）。"
                 "请到“{to}”里看一下：没有收到就运行 gridbot outbox retry {id}，"
                 "已经收到就运行 gridbot outbox done {id}。")
OUTBOX_GAVE_UP = "已连续失败 {attempts} 次，暂停重发。最后一次：{error}"
OUTBOX_WECOM_ERROR = "企业微信返回错误 {code}：{message}"
OUTBOX_UNREACHABLE = "连不上企业微信：{error}"
OUTBOX_RATE_LIMITED = "企业微信限流（错误码 {code}），稍后自动重发"
OUTBOX_BUG = "发送程序出错（{error}），已记入日志"
OUTBOX_STATE_NAMES = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "parked": "已搁置"}
OUTBOX_SUMMARY = "发件箱：待发送 {pending} 条，发送中 {sending} 条，已发送 {sent} 条，已搁置 {parked} 条。"
OUTBOX_ROW = "#{id} {state} → {to}（{kind}，已尝试 {attempts} 次，{when}）\n    {text}"
OUTBOX_ROW_ERROR = "\n    原因：{error}"
OUTBOX_NEXT_TRY = "下次尝试 {at}"
OUTBOX_CREATED = "{at} 生成"
OUTBOX_TO_GROUP = "群“{name}”"
OUTBOX_TO_PERSON = "{name}（{userid}）"
OUTBOX_PARKED_HINT = ("已搁置的消息不会自动重发。处理好原因后运行 gridbot outbox retry（全部，"
                      "“不确定是否已发出”的除外）或 gridbot outbox retry 编号 …；"
                      "确认已经收到的，运行 gridbot outbox done 编号 …")
OUTBOX_REQUEUED = "已重新排队 {n} 条消息，发送程序会尽快发出。"
OUTBOX_CONFIRMED = "已把 {n} 条消息记为已发出。"
OUTBOX_NOTHING_PARKED = "没有已搁置的消息。"
WECOM_NOT_CONFIGURED = ("还没有配置企业微信：请在配置文件的 [wecom] 一节填写 corp_id 和 agent_id，"
                        "应用的 Secret 填 secret 或放在环境变量 GRIDBOT_WECOM_SECRET 里。")
WECOM_CALL_FAILED = "调用企业微信接口失败：{error}"
SYNC_DRY_HEAD = "试运行，没有做任何修改。企业微信通讯录与花名册的差异："
SYNC_DONE_HEAD = "已按企业微信通讯录更新花名册："
SYNC_NEW_UNIT = "＋ 新单位：{name}（{kind}，上级：{parent}）"
SYNC_NEW_PERSON = "＋ 新人员：{name}（{userid}），{unit}，{roles}"
SYNC_MOVED = "～ {name}（{userid}）：所属单位 {old} → {new}"
SYNC_RENAMED = "～ {userid}：姓名 {old} → {new}"
SYNC_GONE = "－ 通讯录里已没有：{name}（{userid}），花名册中保留，请核实"
SYNC_SKIPPED = "· 部门“{name}”的名称不以 街道/社区/网格/楼 等结尾，不建单位，其成员归入上级单位"
SYNC_NO_UNIT = "（无所属单位）"
SYNC_TOTAL = "合计：新单位 {units} 个，新人员 {people} 人，有变动 {changed} 人，通讯录里已没有 {gone} 人。"
SYNC_NO_CHANGE = "花名册与企业微信通讯录一致，无需修改。"
CLI_OUTBOX_HELP = {
    "outbox": "发件箱：列出待发送和已搁置的消息",
    "retry": "把已搁置的消息重新排队（不写编号则全部，“不确定是否已发出”的除外）",
    "done": "确认已搁置的消息其实已经发出（记为已发出，不再重发）",
    "ids": "消息编号",
    "sync": "从企业微信通讯录同步单位和人员",
    "dry_run": "只显示差异，不修改花名册",
    "webhook": "设置一个群的群机器人 Webhook 地址（群设置 → 消息推送 → 复制地址）",
    "group": "群名称，例如 一网格群",
    "url": "Webhook 地址，https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
}
WEBHOOK_SET = "已为“{group}”设置群机器人 Webhook，发往这个群的消息会通过它发出。"
WEBHOOK_BAD_URL = "“{url}”不像群机器人的 Webhook 地址，应为 https://…/webhook/send?key=… 的形式。"
