"""Shared set-up for the console tests: the demo roster plus a second community, accounts, tasks."""

from __future__ import annotations

import io
import re
from html import unescape

from werkzeug.security import generate_password_hash

from bot.config import Settings
from bot.demo import fresh_demo_db
from bot.local import LocalChannel
from bot.web import create_app
from handlers.context import Options
from storage import roster, users
from tests.chat import Chat
from tests.conftest import Clock, at

PASSWORD = "xingfu-2024"
START = at("2024-11-18 09:00")  # a Monday
NOW = at("2024-11-20 10:00")  # task 2 (due 11-19 17:00) is late by then
HASH = generate_password_hash(PASSWORD)
TABLES = ("tasks", "assignments", "events", "reports", "outbox", "messages", "users", "units",
          "people", "groups")


def seeded_db(path: str | None = None):
    """The demo roster, 和平社区 with its own secretary, four accounts and three tasks."""
    db = fresh_demo_db(path)
    peace = roster.add_unit(db, "和平社区", "community")
    grid = roster.add_unit(db, "和平一网格", "grid", peace.id, 1)
    roster.add_person(db, "张书记", "zhangshuji", ("secretary",), peace.id)
    roster.add_person(db, "钱多", "qianduo", ("grid_worker",), grid.id, "13800000001")
    roster.add_group(db, "和平社区工作群", "big", peace.id)
    roster.add_group(db, "和平一网格群", "small", grid.id)
    for username, userid in (("wang", "wangshuji"), ("lina", "lina"), ("zhang", "zhangshuji"),
                             ("zhangwei", "zhangwei")):
        users.save_user(db, username, roster.find_person(db, userid).id, HASH, START)
    chat = Chat(db, START)
    chat.say("王书记", "幸福社区工作群", "各网格本周五前完成独居老人走访，拍照反馈")
    chat.say("王书记", "幸福社区工作群", "一、三网格明天下午5点前通知停水")
    chat.say("lina", "一网格群", "1号已完成，走访12户")
    chat.say("zhangwei", "二网格群", "收到")
    chat.say("张书记", "和平社区工作群", "和平一网格本周五前清理楼道杂物")
    return db


def make_app(db, clock: Clock, settings: Settings | None = None):
    settings = settings or Settings(secret_key="test-secret")
    channel = LocalChannel(db, Options(), now=clock)
    app = create_app(db, channel, now=clock, settings=settings)
    app.config["TESTING"] = True
    return app


def csrf(client) -> str:
    """Open a page so the session holds a CSRF token, and return it."""
    client.get("/console/login")
    with client.session_transaction() as session:
        return session["csrf"]


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/console/login", data={"username": username, "password": password,
                                                "csrf_token": csrf(client)})


def post(client, url: str, data: dict | None = None, **kwargs):
    """Post a console form with this session's CSRF token, as the browser would."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf(client)}, **kwargs)


def snapshot(db) -> dict:
    """Everything the ledger and roster hold, to show an action changed nothing."""
    return {table: list(db[table].rows) for table in TABLES}


def task_id(db, community: str, number: int) -> int:
    unit = next(u for u in roster.list_units(db, "community") if u.name == community)
    return next(db["tasks"].rows_where("community_id = ? and number = ?", [unit.id, number]))["id"]


def assignment_id(db, task: int, unit: str) -> int:
    row = db.execute("select a.id from assignments a join units u on u.id = a.unit_id "
                     "where a.task_id = ? and u.name = ? order by a.id desc", [task, unit])
    return row.fetchone()[0]


def roster_upload(community: str = "幸福社区") -> list:
    """Three CSV files adding 九网格 with its worker and group to a community."""
    files = {
        "单位.csv": f"名称,类型,上级,编号\n{community},社区,,\n九网格,网格,{community},9\n",
        "人员.csv": "姓名,企业微信账号,角色,所属单位,手机\n吴九,wujiu,网格员,九网格,\n",
        "群聊.csv": "群名称,类型,所属单位\n九网格群,小群,九网格\n",
    }
    return [(io.BytesIO(text.encode("utf-8-sig")), name) for name, text in files.items()]


def flashes(html: str) -> list[str]:
    """Return the messages a page shows in its flash boxes, as the user reads them."""
    return [unescape(m.strip())
            for m in re.findall(r'<p class="flash [a-z]+"[^>]*>(.*?)</p>', html, re.S)]
