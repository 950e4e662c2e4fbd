"""A server-rendered SVG chart: ratings per outlet for the current search, with a table beside it."""

from __future__ import annotations

from annotations.models import Rating

MAX_BARS = 8
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 180
PLOT_WIDTH = 360


def outlet_rating_chart(counts: dict[str, dict[int, int]]) -> dict | None:
    """Stacked bars from {outlet name: {rating id: rated claims}}; None when there is nothing to draw."""
    if not counts:
        return None
    ratings = [
        r for r in Rating.objects.order_by("order", "label") if any(r.pk in c for c in counts.values())
    ]
    outlets = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))[:MAX_BARS]
    largest = max(sum(counts[name].values()) for name in outlets)
    bars = []
    for index, name in enumerate(outlets):
        x, segments = LABEL_WIDTH, []
        for rating in ratings:
            n = counts[name].get(rating.pk, 0)
            if n:
                width = PLOT_WIDTH * n / largest
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "colour": rating.colour,
                        "rating": rating,
                        "n": n,
                    }
                )
                x += width
        bars.append(
            {
                "outlet": name,
                "y": index * (BAR_HEIGHT + GAP),
                "text_y": index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
                "total": sum(counts[name].values()),
                "total_x": round(x + 6, 1),
                "segments": segments,
                "cells": [counts[name].get(rating.pk, 0) for rating in ratings],
            }
        )
    return {
        "width": LABEL_WIDTH + PLOT_WIDTH + 50,
        "height": len(bars) * (BAR_HEIGHT + GAP),
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bars": bars,
        "ratings": ratings,
        "omitted": max(0, len(counts) - MAX_BARS),
    }
