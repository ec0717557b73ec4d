"""The WeCom client and webhooks against the fake WeCom server, over real HTTP."""

from __future__ import annotations

import pytest

from bot.wecom.client import WeComClient, WeComError, WeComUnavailable
from bot.wecom.fake import INVALID_RESPONSE_CODE
from bot.wecom.webhook import markdown_messages, split_markdown, webhook_send, with_mentions


def text(userid: str, content: str) -> dict:
    return {"touser": userid, "msgtype": "text", "text": {"content": content}}


def test_the_token_is_fetched_once_and_reused_until_shortly_before_it_expires(fake, client,
                                                                             clock):
    for n in range(3):
        client.send_message(text("lina", f"第{n}条"))
    assert fake.gettoken_calls == 1
    clock.advance(7200 - 120)
    client.send_message(text("lina", "快到期"))
    assert fake.gettoken_calls == 1
    clock.advance(61)  # inside the last minute: fetched again before WeCom would refuse it
    client.send_message(text("lina", "换新"))
    assert fake.gettoken_calls == 2
    assert len(fake.app_messages("lina")) == 5


def test_an_expired_token_is_refetched_and_the_call_repeated(fake, client):
    client.get_token()
    fake.expire_tokens()  # WeCom revoked it early: the next call answers 42001
    client.send_message(text("lina", "任务#1 已接单"))
    assert fake.gettoken_calls == 2
    assert fake.app_messages("lina")[0]["text"]["content"] == "任务#1 已接单"


def test_refreshing_a_token_that_keeps_failing_stops_after_a_bound(fake, client):
    fake.stale_tokens(True)
    with pytest.raises(WeComError) as failed:
        client.send_message(text("lina", "x"))
    assert failed.value.errcode == 40014
    assert fake.gettoken_calls == 1 + client.token_refreshes
    assert fake.app_messages() == []


def test_a_wrong_secret_is_a_wecom_error_naming_the_code(fake):
    wrong = WeComClient(fake.corp_id, "not-the-secret", 1000002, fake.base_url)
    with pytest.raises(WeComError) as failed:
        wrong.get_token()
    assert failed.value.errcode == 40001


def test_an_outage_and_a_dead_server_are_unavailable_not_errors(fake, client):
    fake.outage(True)
    with pytest.raises(WeComUnavailable):
        client.send_message(text("lina", "x"))
    fake.outage(False)
    client.send_message(text("lina", "恢复了"))
    fake.close()
    with pytest.raises(WeComUnavailable):
        client.send_message(text("lina", "服务器没了"))


def test_message_send_asks_for_the_duplicate_check_and_a_repeat_is_not_delivered(fake, client):
    first = client.send_message(text("lina", "任务#3 请接单"))
    again = client.send_message(text("lina", "任务#3 请接单"))
    assert first["errcode"] == again["errcode"] == 0
    assert [r.duplicate for r in fake.received if r.path == "message/send"] == [False, True]
    sent = fake.received[0].body
    assert sent["enable_duplicate_check"] == 1 and sent["agentid"] == 1000002
    assert len(fake.app_messages("lina")) == 1


def test_more_than_thirty_a_minute_to_one_member_are_dropped_silently_by_wecom(fake, client):
    for n in range(31):
        assert client.send_message(text("lina", f"第{n}条"))["errcode"] == 0
    assert len(fake.app_messages("lina")) == 30
    assert fake.received[-1].dropped == ("lina",)


def test_a_template_card_can_be_updated_once_with_its_response_code(fake, client):
    code = client.send_message({"touser": "lina", "msgtype": "template_card",
                                "template_card": {"card_type": "button_interaction"}}
                               )["response_code"]
    client.update_template_card({"userids": ["lina"], "response_code": code,
                                 "button": {"replace_name": "已接单"}})
    with pytest.raises(WeComError) as failed:
        client.update_template_card({"userids": ["lina"], "response_code": code,
                                     "button": {"replace_name": "已接单"}})
    assert failed.value.errcode == INVALID_RESPONSE_CODE


def test_media_comes_back_with_its_file_name_and_an_unknown_id_is_an_error(fake, client):
    fake.add_media("MEDIA1", b"\xff\xd8\xff photo", "photo.jpg")
    assert client.get_media("MEDIA1") == (b"\xff\xd8\xff photo", "photo.jpg")
    with pytest.raises(WeComError) as failed:
        client.get_media("nope")
    assert failed.value.errcode == 40007


def test_departments_and_their_members_are_listed(fake, client):
    fake.set_contacts([{"id": 1, "name": "幸福社区", "parentid": 0},
                       {"id": 2, "name": "一网格", "parentid": 1}],
                      [{"userid": "lina", "name": "李娜", "department": [2]}])
    assert [d["name"] for d in client.list_departments()] == ["幸福社区", "一网格"]
    assert [u["userid"] for u in client.list_users(2)] == ["lina"]
    assert client.list_users(1) == []


def test_a_webhook_takes_twenty_posts_a_minute_and_answers_45009_to_the_21st(fake, clock):
    url = fake.webhook_url("grid1")
    for n in range(20):
        webhook_send(url, {"msgtype": "markdown", "markdown": {"content": f"第{n}条"}})
    with pytest.raises(WeComError) as failed:
        webhook_send(url, {"msgtype": "markdown", "markdown": {"content": "第21条"}})
    assert failed.value.errcode == 45009
    clock.advance(60)
    webhook_send(url, {"msgtype": "markdown", "markdown": {"content": "一分钟后"}})
    assert len(fake.webhook_posts("grid1")) == 21


def test_a_webhook_refuses_markdown_over_4096_bytes_and_an_unknown_key(fake):
    url = fake.webhook_url("grid1")
    with pytest.raises(WeComError) as failed:
        webhook_send(url, {"msgtype": "markdown", "markdown": {"content": "走" * 1366}})
    assert failed.value.errcode == 40058
    with pytest.raises(WeComError) as failed:
        webhook_send(fake.webhook_url("grid1").replace("grid1", "nokey"),
                     {"msgtype": "markdown", "markdown": {"content": "x"}})
    assert failed.value.errcode == 93000


def lines_of(size: int) -> str:
    """Build a report of 30-byte lines (a newline between them) exactly size bytes long."""
    line = "走访独居老人12户" + "x" * 7
    count = (size + 1) // 31
    text = "\n".join([line] * count)
    return text + "\n" + "y" * (size - len(text.encode()) - 1) if len(text.encode()) < size \
        else text


@pytest.mark.parametrize("size,parts", [(4096, 1), (4097, 2), (8000, 2), (8200, 3)])
def test_markdown_splits_at_4096_bytes_only_between_lines(size, parts):
    text = lines_of(size)
    pieces = split_markdown(text)
    assert len(text.encode()) == size
    assert len(pieces) == parts
    assert all(len(p.encode()) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text  # nothing lost, and every cut is at a line end


def test_a_single_line_longer_than_the_limit_is_cut_between_characters():
    pieces = split_markdown("网" * 2000)  # 6000 bytes, no newline
    assert [len(p.encode()) for p in pieces] == [4095, 1905]
    assert "".join(pieces) == "网" * 2000


def test_mentions_go_on_top_of_the_first_part_only():
    bodies = markdown_messages("【新任务】\n" + "内容\n" * 1000, ("lina", "zhangwei"))
    assert len(bodies) == 2
    assert bodies[0]["markdown"]["content"].startswith("<@lina> <@zhangwei>\n【新任务】")
    assert "<@" not in bodies[1]["markdown"]["content"]
    assert with_mentions("收到", ()) == "收到"
