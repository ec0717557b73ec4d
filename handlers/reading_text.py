"""Normalise chat text and read Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

# Traditional forms of the words the readers look for (a small table, not a converter).
_TRADITIONAL = (
    "辦办 餘余 結结 號号 個个 還还 沒没 幾几 週周 過过 務务 網网 處处 實实 饋馈 報报 會会 後后 間间 時时 點点 "
    "這这 們们 請请 別别 轉转 給给 領领 問问 題题 嗎吗 麼么 兩两 萬万 樓楼 戶户 單单 說说 對对 開开 關关 "
    "進进 經经 齊齐 體体 條条 內内 禮礼 來来 馬马 長长 應应 該该 帶带 從从 無无 現现 發发 見见 寫写 訪访 "
    "記记 錄录 達达 畢毕 遲迟 數数 統统 計计 區区 讓让 為为 與与 張张 員员 書书 驗验 補补 簽签 準准 備备 "
    "裡里 裏里 頭头 門门 謝谢 鐘钟 夠够 幫帮 邊边 煩烦 幹干 東东 業业 專专 項项 臺台 賬账 帳账 趕赶 儘尽 "
    "態态 歲岁 極极 掃扫 傳传 級级 縣县 證证 緊紧 確确 認认 檢检 隱隐 範范 圍围 離离 撥拨 聽听 約约 隊队 "
    "紀纪 總总 稱称 讀读 講讲 議议 論论 選选 舉举 當当 滅灭 醫医 療疗 辭辞 費费 護护 據据 錢钱 曉晓 識识 "
    "顯显 導导 產产 氣气 電电 車车 線线 響响 麵面 頁页 歷历 曆历 隨随 陸陆 調调 剛刚 參参 團团 黨党 復复 "
    "複复 動动 勞劳 獨独 殘残 訴诉 災灾 難难 戰战 圖图 層层 虛虚 聯联 繫系 係系 絡络 著着 於于 並并 盡尽 "
    "屬属 歸归 責责 負负 協协 環环 衛卫 執执 織织 滿满 錯错 機机 遞递 紙纸 質质 載载 蓋盖 檔档 貼贴 熱热 "
    "將将 須须 雙双 換换 託托 麽么 園园 陽阳 華华 舊旧 變变 優优 標标 規规 審审 鄰邻 裝装 設设 樣样 誰谁 "
    "兒儿 節节 際际 陰阴 晝昼 貳贰 傷伤 階阶 腦脑 損损 壞坏 適适 購购 貨货 價价 種种 類类 傢家 壓压 灑洒 "
    "掛挂 匯汇 釋释 廳厅 場场 廣广 衝冲 彙汇 鬧闹 緩缓 賽赛 陣阵 飯饭 蘭兰 囉啰 啟启 啓启 暫暂 龍龙 鳳凤 "
    "寧宁 錶表 韓韩 羅罗 劃划 訂订 詢询 誤误 諮咨 謂谓 貝贝 塊块 疊叠 攤摊"
)
_TRAD_TABLE = str.maketrans({pair[0]: pair[1] for pair in _TRADITIONAL.split()})
# Zero-width marks, emoji variation selectors, keycaps (1️⃣) and skin tones carry no words.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")

CN_DIGITS = {"零": 0, "〇": 0, "幺": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "零〇幺一二两三四五六七八九十百千廿卅"
# A number as people write it: Arabic digits or Chinese numerals.
NUM = rf"(?:\d{{1,4}}|[{CN_CHARS}]{{1,6}})"


def normalize(text: str) -> str:
    """Return text NFKC-normalised, simplified, lower-cased, with runs of spaces collapsed."""
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKC", text)
    plain = _INVISIBLE.sub("", plain).translate(_TRAD_TABLE).lower()
    return _SPACES.sub(" ", plain).strip()


def cn_to_int(text: str) -> int | None:
    """Read 12, 十二, 二十三, 两, 〇, 一百零五 or 二〇二六 as an int; None if it is no number."""
    word = unicodedata.normalize("NFKC", text or "").strip()
    if not word or len(word) > 12:
        return None
    if word.isascii() and word.isdigit():
        return int(word)
    if any(c not in CN_DIGITS and c not in CN_UNITS and c not in "廿卅" for c in word):
        return None
    if len(word) > 1 and all(c in CN_DIGITS for c in word):
        return int("".join(str(CN_DIGITS[c]) for c in word))  # 二〇二六 digit by digit
    return _cn_positional(word)


def _cn_positional(word: str) -> int:
    total, current = 0, 0
    for char in word:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in "廿卅":
            total += 20 if char == "廿" else 30
        else:
            total += (current or 1) * CN_UNITS[char]
            current = 0
    return total + current


def cn_sequence(text: str) -> list[int]:
    """Read 一二三四 as [1, 2, 3, 4], but 十二 as [12] (a numeral with 十 is one number)."""
    word = (text or "").strip()
    if word.isascii() and word.isdigit():
        return [int(word)]
    if len(word) > 1 and all(c in CN_DIGITS and c not in "零〇" for c in word):
        return [CN_DIGITS[c] for c in word]
    value = cn_to_int(word)
    return [] if value is None else [value]
