"""Charts: one code path (matplotlib) for the web page (SVG), Word and PDF (PNG), with a CJK font.

matplotlib is imported lazily: most requests draw no chart."""

from __future__ import annotations

import io
from collections.abc import Sequence

CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei"]


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str = "", unit: str = "",
              fmt: str = "svg", width_in: float = 7.0) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS + plt.rcParams["font.sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    height = max(2.0, 0.4 * len(labels) + 1)
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=150)
    try:
        bars = ax.barh(list(labels)[::-1], list(values)[::-1], color="#b3261e")
        ax.bar_label(bars, labels=[f"{v:.1f}{unit}" for v in list(values)[::-1]], padding=3, fontsize=8)
        if title:
            ax.set_title(title, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        ax.set_xlim(0, max([*values, 1]) * 1.15)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format=fmt)
        return out.getvalue()
    finally:
        plt.close(fig)
