"""Bar charts drawn on the server as SVG, for pages that must work without JavaScript.

`bar_chart` works out the geometry; templates/censorship/_bar_chart.html draws it. The SVG is an
image with a title and a description (role="img"), and the page shows the same numbers in a table
beside it, so nobody needs to see the bars to have the figures. Colours and sizes are SVG
presentation attributes and classes (site.css), never style attributes: the CSP allows none.
"""

import math

from django.utils.formats import number_format

WIDTH, HEIGHT = 480, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 36
GRID_LINES = 4


def nice_ceiling(value, steps=GRID_LINES):
    """The top of the axis: `steps` equal whole-number steps, each a round number, reaching value."""
    if value <= 0:
        return steps
    raw_step = value / steps
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(f * magnitude for f in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if f * magnitude >= raw_step)
    # Counts are whole: below ten a step such as 1.5 becomes 2.
    return (math.ceil(step) if step < 10 else round(step)) * steps


def _number(value):
    return number_format(value, force_grouping=True)


def describe(title, rows, unit):
    """A sentence or two saying what the chart shows, for its <desc>."""
    if not rows:
        return f"{title}: no figures yet."
    first, last = rows[0][0], rows[-1][0]
    highest = max(rows, key=lambda row: row[1])
    lowest = min(rows, key=lambda row: row[1])
    span = f"from {first} to {last}" if first != last else f"for {first}"
    return (
        f"Bar chart of {unit} per year, {span}. Highest: {highest[0]}, {_number(highest[1])}. "
        f"Lowest: {lowest[0]}, {_number(lowest[1])}. The table beside the chart lists every year."
    )


def bar_chart(chart_id, title, rows, unit):
    """The geometry of a bar chart of `rows` [(label, value), ...], in the order given.

    `chart_id` makes the ids of the title and description unique on the page.
    """
    rows = [(str(label), int(value)) for label, value in rows]
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = nice_ceiling(max((value for _label, value in rows), default=0))
    baseline = TOP + plot_height
    slot = plot_width / max(len(rows), 1)
    bar_width = slot * 0.6
    bars = []
    for index, (label, value) in enumerate(rows):
        height = plot_height * value / top_value
        x = LEFT + slot * index + (slot - bar_width) / 2
        bars.append(
            {
                "label": label,
                "value": _number(value),
                "x": round(x, 1),
                "y": round(baseline - height, 1),
                "width": round(bar_width, 1),
                "height": round(height, 1),
                "centre": round(x + bar_width / 2, 1),
                "value_y": round(baseline - height - 6, 1),
                "label_y": baseline + 20,
            }
        )
    grid = []
    for step in range(GRID_LINES + 1):
        value = top_value * step / GRID_LINES
        y = round(baseline - plot_height * step / GRID_LINES, 1)
        grid.append({"y": y, "label": _number(round(value)), "label_y": y + 4})
    return {
        "id": chart_id,
        "title": title,
        "description": describe(title, rows, unit),
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "axis_label_x": LEFT - 8,
        "bars": bars,
        "grid": grid,
    }
