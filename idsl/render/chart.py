"""The bar chart of the filled table: each level-1 category's score rate, as PNG bytes (matplotlib)."""

from __future__ import annotations

import io
import warnings
from typing import Sequence

def chart_png(names: Sequence[str], rates: Sequence[float], labels: Sequence[str], title: str) -> bytes:
    """A bar chart (PNG bytes) of rates in percent, one labelled bar per name; CJK font if one is installed.

    Without a CJK font the chart is still drawn, with the same labels (the glyphs may show as boxes).

    >>> chart_png(["决策", "过程"], [93.33, 100.0], ["93.33%", "100%"], "得分率")[:4]
    b'\\x89PNG'
    """
    import matplotlib  # deliberately lazy: matplotlib is slow to import, and a blank table has no chart

    matplotlib.use("Agg", force=False)
    # lazy, as matplotlib above
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    settings = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if font:
        settings["font.sans-serif"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs without a CJK font: draw boxes, do not fail
        figure = Figure(figsize=(6.4, 3.2), dpi=150)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        positions = list(range(len(names)))
        bars = axes.bar(positions, rates, color="#4472C4", width=0.55)
        axes.set_xticks(positions, list(names))
        axes.set_ylim(0, 115)
        axes.set_ylabel("得分率（%）")
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        for bar, label in zip(bars, labels):
            axes.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                          xytext=(0, 2), textcoords="offset points", fontsize=9)
        figure.tight_layout()
        stream = io.BytesIO()
        figure.savefig(stream, format="png", metadata={"Software": None})
    return stream.getvalue()


_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Microsoft YaHei",
                 "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback", "Noto Sans CJK JP")
_CJK_FILE_HINTS = ("cjk", "wqy", "simhei", "simsun", "msyh", "uming", "ukai", "droidsansfallback", "sourcehan")


def cjk_font() -> str | None:
    """The family name of an installed font that has Chinese glyphs, or None (found with matplotlib.font_manager)."""
    from matplotlib import font_manager  # deliberately lazy: matplotlib is slow to import

    def known() -> str | None:
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        for family in _CJK_FAMILIES:
            if family in names:
                return family
        return next((name for name in sorted(names) if "CJK" in name), None)

    found = known()
    if found:
        return found
    # matplotlib's font cache may predate the fonts (installed after the first import): add them.
    try:
        paths = font_manager.findSystemFonts()
    except Exception:  # pragma: no cover - a broken fontconfig must not break the document
        return None
    for path in paths:
        if any(hint in path.lower().replace("-", "").replace("_", "") for hint in _CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # pragma: no cover
                continue
    return known()


__all__ = ["chart_png", "cjk_font"]
