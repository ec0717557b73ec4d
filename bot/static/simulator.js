// GridBot simulator: plays WeCom's part (big group, grid groups, 1:1 chats) against the local API.
"use strict";

const BOT_NAME = document.body.dataset.botName || "网格派单助手";
const POLL_MS = 2000;
const LEDGER_MS = 4000;
const ROLE_ORDER = ["社区书记", "网格员", "楼栋长", "志愿者"];
const STATE_NAMES = {
  open: "待接单", claimed: "办理中", done: "已办结", accepted: "已验收",
  declined: "已退单", transferred: "已转办", cancelled: "已撤回",
};
const KIND_NAMES = {
  issued: "派单", assigned: "分派到网格", claim: "接单", progress: "报进度", done: "办结",
  decline: "退单", accept: "验收", return: "退回重办", transfer: "转办", reassign: "改派",
  extend: "延期", cancel: "撤回", cancelled: "撤回任务",
};
// "where" says which kind of chat the example belongs in; clicking switches there if needed.
const EXAMPLES = [
  { text: "各网格本周五前完成独居老人走访，拍照反馈", where: "big", hint: "书记在大群派单" },
  { text: "收到", where: "small", hint: "网格员在网格群接单" },
  { text: "1号已完成，走访12户，照片见上", where: "small", hint: "网格员报办结" },
  { text: "1号还剩3户", where: "small", hint: "网格员报进度" },
  { text: "不是我们网格的", where: "small", hint: "网格员退单" },
  { text: "1号进度", where: "big", hint: "书记查进度" },
  { text: "帮助", where: null, hint: "在哪儿都能问" },
];

const $ = (id) => document.getElementById(id);
const state = {
  people: [], chats: [], direct: {}, // direct: userid -> log of that person's 1:1 chat
  current: null, speaker: null, mentionRe: null,
  loaded: false, polling: false, pollAgain: false, stick: true, openTask: null, statusTimer: null,
};

// Build a DOM node; string children become text nodes, so user text is never parsed as HTML.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat(2)) {
    if (child !== null && child !== undefined && child !== "") node.append(child);
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `请求失败（${response.status}）`);
  return body;
}

const newLog = () => ({ messages: [], lastId: 0, unread: 0 });
const hhmm = (iso) => (iso ? iso.slice(11, 16) : "");
const shortTime = (iso) => (iso ? `${+iso.slice(5, 7)}-${iso.slice(8, 10)} ${iso.slice(11, 16)}` : "—");
const dayLabel = (iso) => `${+iso.slice(5, 7)}月${+iso.slice(8, 10)}日`;
const person = (userid) => state.people.find((p) => p.userid === userid);
const withRole = (people, role) => people.find((p) => p.roles.includes(role));
const logOf = (chat) => (chat.kind === "direct" ? state.direct[state.speaker] : chat.log);
const unreadOf = (chat) => (chat.kind === "direct"
  ? Object.values(state.direct).reduce((sum, log) => sum + log.unread, 0) : chat.log.unread);

function avatarColor(name) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) % 360;
  return `hsl(${hash}, 45%, 52%)`;
}

function setStatus(text, seconds) {
  const box = $("status");
  clearTimeout(state.statusTimer);
  box.textContent = text;
  box.hidden = !text;
  if (text && seconds) state.statusTimer = setTimeout(() => setStatus(""), seconds * 1000);
}

// ---- roster, chat list and speaker picker ----

async function init() {
  const roster = await api("/api/roster");
  state.people = roster.people;
  const groups = [...roster.groups].sort((a, b) => (a.kind === "big" ? 0 : 1) - (b.kind === "big" ? 0 : 1));
  state.chats = groups.map((g) => ({ key: g.name, title: g.name, kind: g.kind, group: g.name, unit: g.unit, log: newLog() }));
  state.chats.push({ key: "direct", title: "与助手私聊", kind: "direct", group: null, unit: null });
  for (const p of state.people) state.direct[p.userid] = newLog();
  const names = state.people.map((p) => p.name).concat(BOT_NAME, "所有人")
    .sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  // Known names first, so "@李娜请…" highlights only "@李娜"; otherwise up to a space or punctuation.
  state.mentionRe = new RegExp(`@(?:${names.join("|")}|[^\\s@，。、,.:：;；!！?？()（）]+)`, "g");
  buildSpeakerPicker();
  $("examples").replaceChildren(...EXAMPLES.map((ex) =>
    el("button", { type: "button", class: "chip", title: ex.hint, onclick: () => useExample(ex) }, ex.text)));
  await poll();
  state.loaded = true; // messages before this moment are history, not unread
  select(state.chats[0]);
  refreshLedger();
  setInterval(poll, POLL_MS);
  setInterval(refreshLedger, LEDGER_MS);
}

function buildSpeakerPicker() {
  const roles = [...new Set([...ROLE_ORDER, ...state.people.flatMap((p) => p.roles)])];
  const groups = roles.map((role) => {
    const members = state.people.filter((p) => (p.roles[0] || "其他") === role);
    return members.length ? el("optgroup", { label: role },
      members.map((p) => {
        const label = `${p.name}（${p.unit || "—"}）`;
        return el("option", { value: p.userid, "data-label": label }, label);
      })) : null;
  });
  $("speaker").replaceChildren(...groups.filter(Boolean));
}

// Who speaks by default: the secretary in the big group, the grid's worker in its grid group.
// The 1:1 chat keeps whoever is speaking now, so you see that person's own chat with the bot.
function defaultSpeaker(chat) {
  if (chat.speaker) return chat.speaker;
  const local = state.people.filter((p) => p.unit === chat.unit);
  let pick = null;
  if (chat.kind === "big") pick = withRole(local, "社区书记") || withRole(state.people, "社区书记");
  if (chat.kind === "small") pick = withRole(local, "网格员") || local[0];
  return pick ? pick.userid : state.speaker || (state.people[0] && state.people[0].userid);
}

function select(chat) {
  state.current = chat;
  state.speaker = defaultSpeaker(chat);
  $("speaker").value = state.speaker;
  state.stick = true;
  renderChat();
}

function renderChatList() {
  const items = state.chats.map((chat) => {
    const log = logOf(chat);
    const last = log && log.messages[log.messages.length - 1];
    const unread = unreadOf(chat);
    const icon = chat.kind === "big" ? "群" : chat.kind === "direct" ? "助" : chat.title[0];
    return el("li", {},
      el("button", { type: "button", class: `chat-item${chat === state.current ? " active" : ""}`, onclick: () => select(chat) },
        el("span", { class: `chat-icon ${chat.kind}` }, icon),
        el("span", { class: "chat-info" },
          el("span", { class: "chat-row" },
            el("span", { class: "chat-name" }, chat.title),
            el("time", {}, last ? hhmm(last.at) : "")),
          el("span", { class: "chat-preview" }, last ? `${last.sender}：${last.text}` : "暂无消息")),
        unread ? el("span", { class: "badge", "aria-label": `${unread}条未读` }, unread > 99 ? "99+" : String(unread)) : null));
  });
  $("chat-list").replaceChildren(...items);
  // The 1:1 chats are per person: tell in the picker whose private chat has news.
  for (const option of $("speaker").options) {
    const unread = state.direct[option.value].unread;
    option.textContent = option.dataset.label + (unread ? ` · 私聊${unread}条未读` : "");
  }
}

// ---- messages ----

function withMentions(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(state.mentionRe)) {
    parts.push(text.slice(last, match.index), el("span", { class: "mention" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function messageNode(m, speakerName) {
  const mine = !m.from_bot && (state.current.kind === "direct" || m.sender === speakerName);
  const name = m.from_bot ? BOT_NAME : m.sender;
  return el("div", { class: `msg${m.from_bot ? " bot" : ""}${mine ? " mine" : ""}` },
    el("span", { class: "avatar", style: m.from_bot ? null : `background:${avatarColor(name)}` }, m.from_bot ? "助" : name.slice(0, 1)),
    el("div", { class: "msg-body" },
      el("div", { class: "msg-meta" },
        el("span", { class: "sender" }, name),
        m.from_bot ? el("span", { class: "bot-tag" }, "机器人") : null,
        el("time", { datetime: m.at }, hhmm(m.at))),
      el("div", { class: "bubble" }, withMentions(m.text))));
}

function renderChat() {
  const chat = state.current;
  const me = person(state.speaker);
  $("chat-title").textContent = chat.kind === "direct" && me ? `与助手私聊 · ${me.name}` : chat.title;
  $("chat-sub").textContent = chat.kind === "big" ? "社区大群：书记和全体网格员"
    : chat.kind === "small" ? `${chat.unit}的网格群` : "换身份即可查看别人的私聊";
  const log = logOf(chat);
  const box = $("messages");
  const nodes = [];
  let day = null;
  for (const m of log ? log.messages : []) {
    if (m.at.slice(0, 10) !== day) {
      day = m.at.slice(0, 10);
      nodes.push(el("div", { class: "day" }, dayLabel(m.at)));
    }
    nodes.push(messageNode(m, me && me.name));
  }
  if (!nodes.length) nodes.push(el("p", { class: "empty" }, "还没有消息。点下面的“试试这些”开始。"));
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  box.replaceChildren(...nodes);
  if (state.stick || nearBottom) box.scrollTop = box.scrollHeight;
  state.stick = false;
  if (log) log.unread = 0; // what is on screen has been read
  renderChatList();
}

// Fetch every chat's new messages (per-chat `after`), so posts into other groups show up too.
async function poll() {
  if (state.polling) { state.pollAgain = true; return; }
  state.polling = true;
  try {
    const jobs = state.chats.filter((c) => c.group)
      .map((c) => fetchInto(c.log, `/api/groups/${encodeURIComponent(c.group)}/messages`));
    for (const p of state.people) {
      jobs.push(fetchInto(state.direct[p.userid], `/api/people/${encodeURIComponent(p.userid)}/messages`));
    }
    const results = await Promise.allSettled(jobs);
    const changed = results.map((r) => r.value).filter(Boolean);
    const failed = results.find((r) => r.status === "rejected");
    if (failed) {
      $("status").dataset.offline = "1";
      setStatus(`连接中断，正在重试…（${failed.reason.message}）`);
    } else if ($("status").dataset.offline) {
      delete $("status").dataset.offline;
      setStatus("");
    }
    if (state.current && changed.includes(logOf(state.current))) renderChat();
    else if (changed.length && state.current) renderChatList();
  } finally {
    state.polling = false;
    if (state.pollAgain) { state.pollAgain = false; poll(); }
  }
}

async function fetchInto(log, url) {
  const fresh = await api(`${url}?after=${log.lastId}`);
  const news = fresh.filter((m) => m.id > log.lastId); // guard against overlapping polls
  if (!news.length) return null;
  log.messages.push(...news);
  log.lastId = news[news.length - 1].id;
  if (state.loaded) log.unread += news.length;
  return log;
}

async function send() {
  const input = $("input");
  const text = input.value.trim();
  if (!text || $("send").disabled) return;
  $("send").disabled = true;
  try {
    await api("/api/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: state.speaker, group: state.current.group, text }),
    });
    input.value = "";
    state.stick = true;
    await poll();
    refreshLedger();
  } catch (err) {
    setStatus(`发送失败：${err.message}`, 6);
  } finally {
    $("send").disabled = false;
    input.focus();
  }
}

function useExample(ex) {
  if (ex.where && state.current.kind !== ex.where) select(state.chats.find((c) => c.kind === ex.where));
  $("input").value = ex.text;
  $("input").focus();
}

// ---- ledger and task history ----

async function refreshLedger() {
  try {
    renderLedger(await api("/api/ledger"));
    if (state.openTask !== null) showHistory(state.openTask, true);
  } catch (err) {
    // the poller already reports a lost connection
  }
}

function renderLedger(rows) {
  let previous = null;
  const trs = rows.map((r) => {
    const first = r.task !== previous;
    previous = r.task;
    return el("tr", { class: `${first ? "task-first" : ""}${r.overdue ? " overdue" : ""}` },
      el("td", {},
        el("button", { type: "button", class: "task-link", title: "查看办理记录", onclick: () => showHistory(r.task) }, `#${r.task}`),
        first ? el("div", { class: "task-title" }, r.title) : null),
      el("td", {}, r.unit),
      el("td", {}, r.handler || "—"),
      el("td", {}, el("span", { class: `pill st-${r.state}` }, r.state_name)),
      el("td", {}, shortTime(r.claimed_at)),
      el("td", {}, shortTime(r.done_at)),
      el("td", {}, shortTime(r.deadline)),
      el("td", {}, r.overdue ? el("span", { class: "late" }, "逾期") : ""));
  });
  if (!trs.length) trs.push(el("tr", {}, el("td", { colspan: "8", class: "empty" }, "还没有任务。先以王书记的身份在大群里派一单。")));
  $("ledger-body").replaceChildren(...trs);
}

function describe(detail) {
  const d = detail || {};
  const bits = [];
  if (d.title) bits.push(`「${d.title}」`);
  if (d.from && d.to && d.from !== d.to) bits.push(`${STATE_NAMES[d.from] || d.from} → ${STATE_NAMES[d.to] || d.to}`);
  if (d.reason) bits.push(`原因：${d.reason}`);
  if (d.deadline) bits.push(`截止改为 ${shortTime(d.deadline)}`);
  return bits.length ? el("div", { class: "detail" }, bits.join("，")) : null;
}

async function showHistory(number, quiet) {
  state.openTask = number;
  const box = $("history");
  const close = el("button", { type: "button", class: "close", title: "关闭", onclick: () => { state.openTask = null; box.hidden = true; } }, "×");
  try {
    const events = await api(`/api/tasks/${number}/history`);
    if (state.openTask !== number) return; // another task was clicked meanwhile
    box.replaceChildren(el("h3", {}, `任务#${number} 办理记录`, close),
      el("ol", {}, events.map((e) => el("li", {},
        el("time", {}, shortTime(e.at)),
        el("span", { class: "kind" }, KIND_NAMES[e.kind] || e.kind),
        e.unit ? el("span", { class: "unit" }, e.unit) : null,
        el("span", { class: "actor" }, e.actor || "系统"),
        describe(e.detail)))));
  } catch (err) {
    box.replaceChildren(el("h3", {}, `任务#${number}`, close), el("p", { class: "error" }, err.message));
  }
  box.hidden = false;
  if (!quiet) box.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

// ---- wiring ----

$("composer").addEventListener("submit", (event) => { event.preventDefault(); send(); });
$("input").addEventListener("keydown", (event) => {
  // Enter sends; Shift+Enter is a newline; Enter while an IME is composing pinyin is not a send.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
    event.preventDefault();
    send();
  }
});
$("speaker").addEventListener("change", (event) => {
  state.speaker = event.target.value;
  if (state.current.kind !== "direct") state.current.speaker = state.speaker; // remember per group
  state.stick = true;
  renderChat();
});
init().catch((err) => setStatus(`加载失败：${err.message}`));
