"""The console in a real browser: headless Chromium (Debian's package) driven by Playwright."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from werkzeug.serving import make_server

from handlers import texts
from tests.console_support import NOW, PASSWORD, Clock, make_app, seeded_db

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent.parent.parent / "test-output" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium "
                                       "(apt-get install -y chromium; CI installs it)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    db = seeded_db(str(tmp_path_factory.mktemp("browser") / "console.db"))
    server = make_server("127.0.0.1", 0, make_app(db, Clock(NOW)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, base_url=base_url,
                                  locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, username="wang"):
    page.goto("/console/")
    assert "/console/login" in page.url
    page.get_by_label(texts.CONSOLE_USERNAME).fill(username)
    page.get_by_label(texts.CONSOLE_PASSWORD).fill(PASSWORD)
    page.get_by_role("button", name=texts.CONSOLE_LOGIN_BUTTON).click()
    page.wait_for_url("**/console/tasks")


def shoot(page, name: str) -> None:
    """Save the page at phone and at desktop width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def flash(page) -> str:
    return page.locator("p.flash").first.inner_text()


def listed_numbers(page) -> list[str]:
    return page.locator("table.tasks td[data-label='编号']").all_inner_texts()


def say(base_url, user, group, text):
    """Speak in a group through the simulator's API, as a grid worker would in WeCom."""
    body = json.dumps({"user": user, "group": group, "text": text}).encode()
    request = urllib.request.Request(f"{base_url}/api/messages", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def test_sign_in_filter_open_a_task_return_and_accept(page, base_url):
    sign_in(page)
    assert listed_numbers(page) == ["#2", "#1"]
    shoot(page, "tasks-signed-in")
    page.get_by_label(texts.CONSOLE_FILTER["state"]).select_option(label="已办结")
    page.get_by_role("button", name=texts.CONSOLE_FILTER["apply"]).click()
    page.wait_for_url("**state=done**")
    assert listed_numbers(page) == ["#1"]
    page.get_by_role("link", name="独居老人走访").click()
    page.wait_for_url("**/console/tasks/*")
    shoot(page, "task-before-actions")

    row = page.locator("tr[data-unit='一网格']")
    row.locator("summary", has_text=texts.CONSOLE_ACTIONS["return"]).click()
    row.get_by_label(texts.CONSOLE_RETURN_REASON).fill("补两张入户照片")
    row.get_by_role("button", name=texts.CONSOLE_ACTIONS["return"]).click()
    assert flash(page) == texts.RETURNED.format(number=1, unit="一网格", reason="补两张入户照片")
    assert page.locator("tr[data-unit='一网格'] [data-label='状态']").inner_text() == "办理中"

    say(base_url, "lina", "一网格群", "1号已完成，照片已补")
    page.reload()
    page.locator("tr[data-unit='一网格']").get_by_role(
        "button", name=texts.CONSOLE_ACTIONS["accept"]).click()
    assert flash(page) == texts.ACCEPTED.format(number=1, units="一网格")
    assert page.locator("tr[data-unit='一网格'] [data-label='状态']").inner_text() == "已验收"
    history = page.locator("table.history").inner_text()
    assert "退回：补两张入户照片" in history and "验收通过" in history


def test_issue_a_task_from_the_form(page):
    sign_in(page)
    page.get_by_role("link", name=texts.CONSOLE_NAV["new"]).click()
    page.get_by_label(texts.CONSOLE_NEW_LABEL).fill("二、四网格明天下午5点前排查电动车飞线充电")
    shoot(page, "new-filled")
    page.get_by_role("button", name=texts.CONSOLE_NEW_BUTTON).click()
    page.wait_for_url("**/console/tasks/*")
    assert flash(page).startswith("【已派单】任务#3 ")
    assert page.locator("tbody tr[data-unit]").evaluate_all("rows => rows.map(r => r.dataset.unit)") \
        == ["二网格", "四网格"]


def test_a_task_the_reader_cannot_use_keeps_its_text(page):
    sign_in(page)
    page.goto("/console/tasks/new")
    page.get_by_label(texts.CONSOLE_NEW_LABEL).fill("各网格排查电动车飞线充电")
    page.get_by_role("button", name=texts.CONSOLE_NEW_BUTTON).click()
    assert flash(page) == texts.ASK_DEADLINE
    assert page.get_by_label(texts.CONSOLE_NEW_LABEL).input_value() == "各网格排查电动车飞线充电"


def test_download_the_excel_ledger_and_read_it_back(page, tmp_path):
    sign_in(page)
    page.get_by_role("link", name=texts.CONSOLE_NAV["export"]).click()
    page.get_by_label(texts.CONSOLE_EXPORT_FROM).fill("2024-11-01")
    page.get_by_label(texts.CONSOLE_EXPORT_TO).fill("2024-11-30")
    with page.expect_download() as waiting:
        page.get_by_role("button", name=texts.CONSOLE_EXPORT_XLSX).click()
    download = waiting.value
    assert download.suggested_filename == "台账_2024-11-01_2024-11-30.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    rows = list(book[texts.EXPORT_SHEET].iter_rows(values_only=True))
    assert rows[0] == texts.EXPORT_HEADERS
    assert {r[1] for r in rows[1:]} >= {"独居老人走访", "通知停水"}
    assert book.sheetnames == [texts.EXPORT_SHEET, texts.EXPORT_GRID_SHEET]


def test_every_page_reads_on_a_phone(page):
    sign_in(page)
    for name, url in (("grids", "/console/grids"), ("overdue", "/console/overdue"),
                      ("summary", "/console/summaries?kind=week&start=2024-11-18"),
                      ("roster", "/console/roster"), ("export", "/console/export"),
                      ("tasks", "/console/tasks"), ("task", "/console/tasks/1"),
                      ("new", "/console/tasks/new")):
        page.goto(url)
        page.set_viewport_size(PHONE)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], (name, wide)  # nothing runs off the side of a phone
        shoot(page, name)
    page.goto("/console/grids")
    page.get_by_role("link", name="三网格").click()
    shoot(page, "grid")


def test_a_grid_worker_sees_no_secretary_buttons(page):
    sign_in(page, "zhangwei")
    assert page.locator("nav a").all_inner_texts() == [
        texts.CONSOLE_NAV[k] for k in ("tasks", "grids", "overdue")]
    page.get_by_role("link", name="独居老人走访").click()
    assert page.locator("button", has_text=texts.CONSOLE_ACTIONS["accept"]).count() == 0
    shoot(page, "worker-task")
