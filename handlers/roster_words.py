"""The words secretaries write in a roster, and what they mean in code."""

from __future__ import annotations

import re

from handlers import texts as T

# Canonical column -> header spellings, lower case without spaces, notes or asterisks.
COLUMNS = {
    "units": {
        "名称": ("名称", "单位名称", "单位", "名字"),
        "类型": ("类型", "单位类型", "层级", "级别"),
        "上级": ("上级", "上级单位", "所属上级", "上级名称", "上级单位名称"),
        "编号": ("编号", "网格编号", "序号"),
    },
    "people": {
        "姓名": ("姓名", "名字", "成员姓名"),
        "企业微信账号": ("企业微信账号", "企业微信userid", "企业微信id", "企微账号", "账号",
                     "userid", "成员账号"),
        "角色": ("角色", "职务", "身份"),
        "所属单位": ("所属单位", "单位", "所在单位", "所属网格", "网格"),
        "手机": ("手机", "手机号", "手机号码", "电话", "联系电话"),
    },
    "groups": {
        "群名称": ("群名称", "群名", "群聊名称", "群聊"),
        "类型": ("类型", "群类型"),
        "所属单位": ("所属单位", "单位", "所属网格"),
        "Webhook": ("webhook", "webhook地址", "群机器人", "群机器人地址", "机器人地址",
                    "消息推送", "消息推送地址"),
    },
}
WEBHOOK = re.compile(r"https?://\S+")
REQUIRED = {"units": ("名称", "类型", "上级"),
            "people": ("姓名", "企业微信账号", "角色", "所属单位"),
            "groups": ("群名称", "类型", "所属单位")}
SHEET_NAMES = {"单位": "units", "单位表": "units", "人员": "people", "人员表": "people",
               "群聊": "groups", "群聊表": "groups", "群": "groups", "群组": "groups"}
UNIT_KIND_WORDS = {"街道": "street", "街道办": "street", "街道办事处": "street", "社区": "community",
                   "村": "community", "居委会": "community", "网格": "grid", "楼栋": "building",
                   "楼": "building", "楼门": "building"}
ROLE_WORDS = {"社区书记": "secretary", "书记": "secretary", "党委书记": "secretary",
              "社区党委书记": "secretary", "网格员": "grid_worker", "专职网格员": "grid_worker",
              "兼职网格员": "grid_worker", "楼栋长": "building_leader", "楼门长": "building_leader",
              "楼长": "building_leader", "志愿者": "volunteer", "党员志愿者": "volunteer"}
GROUP_KIND_WORDS = {"大群": "big", "小群": "small", "大": "big", "小": "small"}
PARENT_KINDS = {"street": (), "community": ("street",), "grid": ("community",),
                "building": ("grid",)}
GROUP_UNIT_KINDS = {"big": ("street", "community"), "small": ("grid", "building")}
ROLE_SEPARATORS = re.compile(r"[、,/;\s]+")
GRID_NAME = re.compile(r"^第?([0-9]+|[〇零一二两三四五六七八九十百]+)号?网格$")
NUMERAL = re.compile(r"^([0-9]+|[〇零一二两三四五六七八九十百]+)$")
DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}
USERID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


def column_list(kind: str) -> str:
    return T.LIST_SEP.join(REQUIRED[kind])


def number(text: str) -> int | None:
    """Read 12, 十二 or 一百零五 as a number; None when it is not one."""
    if not NUMERAL.match(text):
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        else:
            total += (current or 1) * (10 if char == "十" else 100)
            current = 0
    return total + current
