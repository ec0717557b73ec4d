"""Draw a summary's per-grid bar chart (done, of which on time, overdue) as a PNG."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from handlers import texts  # noqa: E402
from handlers.summary import Summary, period_label  # noqa: E402

log = logging.getLogger(__name__)

# The project installs WenQuanYi Micro Hei from PyPI (paperang-p2-fonts-cjk); a machine with
# Debian's fonts-wqy-microhei or fonts-noto-cjk works as well.
PACKAGED_FONT = ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc")
SYSTEM_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
MAX_BARS = 40  # past this many grids the chart shows the first ones in the summary's order
COLOURS = {"done": "#4C78A8", "on_time": "#72B7B2", "overdue": "#E45756"}


@cache
def chinese_font() -> str | None:
    """Return the family name of a font with Chinese glyphs, registering the packaged one."""
    try:
        path = resources.files(PACKAGED_FONT[0]) / PACKAGED_FONT[1]
        if path.is_file():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    except ModuleNotFoundError:
        pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_FAMILIES:
        if family in installed:
            return family
    log.warning("no Chinese font found: install the project (pip install -e .) or fonts-wqy-microhei")
    return None


def render_chart(summary: Summary, path_or_file: str | Path | BinaryIO) -> None:
    """Write the per-grid chart of done (and on time) against overdue as a PNG."""
    grids = summary.grids[:MAX_BARS]
    family = chinese_font()
    fonts = {"family": family} if family else {}
    figure = Figure(figsize=(min(18.0, max(6.0, 0.7 * len(grids) + 2)), 4.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(grids))
    width = 0.38
    left = [p - width / 2 for p in positions]
    right = [p + width / 2 for p in positions]
    axes.bar(left, [g.done for g in grids], width, label=texts.CHART_DONE,
             color=COLOURS["done"])
    axes.bar(left, [g.on_time for g in grids], width * 0.5, label=texts.CHART_ON_TIME,
             color=COLOURS["on_time"])
    axes.bar(right, [g.overdue for g in grids], width, label=texts.CHART_OVERDUE,
             color=COLOURS["overdue"])
    axes.set_xticks(list(positions), [g.unit for g in grids], fontdict=fonts,
                    rotation=30 if len(grids) > 8 else 0, ha="right" if len(grids) > 8 else "center")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    start, end = period_label(summary).split("—")
    axes.set_title(texts.CHART_TITLE.format(community=summary.community,
                                            kind=texts.SUMMARY_KIND_NAMES[summary.kind],
                                            start=start, end=end), fontdict=fonts)
    if not any(g.done or g.overdue for g in grids):
        axes.text(0.5, 0.5, texts.CHART_EMPTY, transform=axes.transAxes, ha="center",
                  fontdict=fonts)
    axes.legend(prop=font_manager.FontProperties(family=family) if family else None,
                frameon=False)
    figure.tight_layout()
    figure.savefig(path_or_file, format="png")
