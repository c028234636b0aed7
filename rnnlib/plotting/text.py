"""Text drawn as HTML: a unit's activation as coloured characters, samples as a table.

Pure functions that return an HTML string (show it with ``IPython.display.HTML``).
Colours are rounded to a few levels, so that the HTML, which nbval compares, comes
back the same on any machine; they go from the Okabe-Ito blue (negative) through
white to the Okabe-Ito vermillion (positive), which colour-blind readers tell apart.
Each character is written in black or white, whichever contrasts more with its
shade (:func:`text_color`): at least 4.5:1 on every shade, WCAG 2.1 level AA.
"""

from __future__ import annotations

import html

import numpy as np

from rnnlib.plotting import OKABE_ITO

__all__ = ["LEVELS", "activation_html", "contrast_ratio", "samples_table_html", "text_color"]

#: colour levels on each side of zero (plus white for zero)
LEVELS = 4
NEGATIVE, POSITIVE = OKABE_ITO[0], OKABE_ITO[1]  # blue, vermillion


def _mix(hex_color, weight):
    """``hex_color`` blended with white: weight 0 is white, 1 the colour."""
    rgb = np.array([int(hex_color[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)
    mixed = np.rint(255 + weight * (rgb - 255)).astype(int)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _luminance(hex_color):
    """WCAG 2.1 relative luminance of ``"#rrggbb"``."""
    if not (isinstance(hex_color, str) and len(hex_color) == 7 and hex_color[0] == "#"):
        raise ValueError(f"colour must be '#rrggbb', got {hex_color!r}")
    rgb = np.array([int(hex_color[k : k + 2], 16) for k in (1, 3, 5)], dtype=float) / 255
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(foreground, background):
    """WCAG 2.1 contrast ratio of two ``"#rrggbb"`` colours, from 1 (same) to 21 (black on white).

    Normal text needs 4.5 at level AA, large text 3.
    """
    hi, lo = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_color(background):
    """Black or white, whichever is more legible on ``background`` (``"#rrggbb"``)."""
    black, white = "#000000", "#ffffff"
    return white if contrast_ratio(white, background) > contrast_ratio(black, background) else black


def _shown(ch):
    return "\u21b5\n" if ch == "\n" else html.escape(ch)


def activation_html(text, values, title="", scale=None):
    """The text with each character's background coloured by a unit's value after it.

    Parameters
    ----------
    text : str, length L
    values : numpy.ndarray, shape (L,)
        The unit's value after reading each character (``h`` in ``[-1, 1]``, or a
        cell state ``c``).
    title : str
        Shown above the text.
    scale : float, optional
        The value shown at full colour (default: the largest ``|value|``). Values are
        rounded to ``LEVELS`` shades on each side of zero.

    Returns
    -------
    str
        An HTML fragment; newlines are kept and marked with ``↵``.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (len(text),):
        raise ValueError(
            f"values must have shape (L,) = ({len(text)},), one per character; got {values.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise FloatingPointError("values is not finite: it holds NaN or inf")
    top = float(np.abs(values).max()) if values.size else 0.0
    scale = top if scale is None else float(scale)
    scale = scale if scale > 0 else 1.0
    levels = np.clip(np.rint(values / scale * LEVELS), -LEVELS, LEVELS).astype(int)
    parts = []
    for ch, lv in zip(text, levels, strict=True):
        color = _mix(POSITIVE if lv > 0 else NEGATIVE, abs(lv) / LEVELS)
        fg = text_color(color)
        parts.append(f'<span style="background-color:{color};color:{fg}">{_shown(ch)}</span>')
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    legend = (
        '<div style="font-size:12px;margin-top:4px">'
        f'<span style="background-color:{NEGATIVE};color:{text_color(NEGATIVE)}">'
        "&nbsp;negative&nbsp;</span> "
        '<span style="background-color:#ffffff;color:#000000;border:1px solid #999">'
        "&nbsp;zero&nbsp;</span> "
        f'<span style="background-color:{POSITIVE};color:{text_color(POSITIVE)}">'
        "&nbsp;positive&nbsp;</span>"
        f" (full colour at |value| = {scale:.2g})</div>"
    )
    return (
        f'<div style="margin-bottom:10px">{head}<div style="font-family:monospace;'
        f'white-space:pre-wrap;line-height:1.5;font-size:13px">{"".join(parts)}</div>'
        f"{legend}</div>"
    )


def samples_table_html(rows, header=("step", "validation bits/char", "sample")):
    """A table of text samples, one row each, for samples taken during training.

    Parameters
    ----------
    rows : sequence of tuple
        ``(step, bits, sample)``: ``step`` an int, ``bits`` a float (printed with
        two decimals), ``sample`` a str (shown in monospace, newlines as ``↵``).
    header : tuple of 3 str

    Returns
    -------
    str
        An HTML table.
    """
    cells = "".join(f'<th style="text-align:left">{html.escape(h)}</th>' for h in header)
    body = []
    for step, bits, sample in rows:
        shown = html.escape(sample).replace("\n", "\u21b5 ")
        body.append(
            f'<tr><td style="text-align:right">{int(step):,}</td>'
            f'<td style="text-align:right">{float(bits):.2f}</td>'
            f'<td style="text-align:left;font-family:monospace;white-space:pre-wrap">'
            f"{shown}</td></tr>"
        )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"
