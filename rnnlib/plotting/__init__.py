"""The course's look: one style, fixed colours, and small helpers for pure plot functions.

Every plot function in the course takes ``ax=None`` (or ``axes=None``), draws,
and returns the figure. It never calls ``plt.show()``: a notebook cell ends
with ``plt.show()`` or a ``;``, and a widget shows the figure it gets back.
The same function draws the static figure and the widget's figure.

The plot functions live in one module per notebook topic, named like the widget
modules: ``start`` (00), ``recurrence`` (01), ``chain_rule`` (02), ``bptt`` (03),
``vanishing`` (04), ``lstm`` (05), ``memory`` (06), ``charlm`` (07), ``gru`` (08),
``attention`` (09). Import them from there: ``from rnnlib.plotting.vanishing import
plot_clipping_runs``. :mod:`rnnlib.widgets` only puts controls over them.

Colours come from the Okabe-Ito palette, which stays distinguishable for the
common kinds of colour blindness, and mean the same thing in every notebook:
``COLORS["rnn"]`` is always the vanilla RNN, ``COLORS["lstm"]`` the LSTM,
``COLORS["gradient"]`` a gradient, ``COLORS["target"]`` a target.

Every figure carries a text description, for readers who cannot see it. A plot
function writes a lead sentence from the arrays it draws with :func:`describe`
("Log-scale line plot of the gradient norm against lag: ..."); :func:`auto_description`
adds what the figure's own artists say (titles, axis labels and scales, each line's
start, end, minimum and maximum, images' shape and range, bars), so a figure drawn
inline in a notebook gets a description too. In a running kernel :func:`setup`
makes every PNG output of a figure store :func:`description` as its ``alt`` text
(``output.metadata["image/png"]["alt"]``), which nbconvert's HTML export and the
course website write as ``<img alt="...">``.
"""

from __future__ import annotations

import os

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "COLORS",
    "GATE_COLORS",
    "OKABE_ITO",
    "auto_description",
    "describe",
    "description",
    "figure_axes",
    "fmt",
    "fmt_log10",
    "heatmap",
    "label",
    "register_alt_text",
    "setup",
    "sweep_reach",
]

#: The Okabe-Ito palette (Okabe & Ito 2008), safe for colour-blind readers.
OKABE_ITO = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (use on dark or with markers only)
    "#000000",  # black
]

#: One meaning, one colour, across the course.
COLORS = {
    "rnn": "#0072B2",
    "lstm": "#D55E00",
    "gru": "#009E73",
    "mlp": "#E69F00",
    "gradient": "#CC79A7",
    "data": "#56B4E9",
    "target": "#000000",
    "bound": "#7F7F7F",
    "pass": "#009E73",
    "fail": "#D55E00",
}

#: The LSTM's gates and states: input, forget, candidate, output, cell, hidden.
GATE_COLORS = {
    "i": "#009E73",
    "f": "#E69F00",
    "g": "#56B4E9",
    "o": "#CC79A7",
    "c": "#D55E00",
    "h": "#0072B2",
}

#: Diverging and sequential colour maps that are colour-blind safe.
DIVERGING_CMAP = "RdBu_r"
SEQUENTIAL_CMAP = "viridis"


def setup(captions=None):
    """Set the course style for matplotlib; call once in a notebook's setup cell.

    Readable font sizes, no top/right spines, a light grid, the Okabe-Ito colour
    cycle, and the constrained layout so that titles and labels are never
    clipped. In a running IPython kernel, also store each figure's description
    as the alt text of its PNG output (:func:`register_alt_text`). Idempotent.

    Parameters
    ----------
    captions : bool or None
        Also print each figure's description as text just above it, for a reader
        whose notebook interface does not read alt text (JupyterLab 4 does not).
        ``None``: on if the environment variable ``RNNLIB_FIGURE_CAPTIONS`` is ``1``.
    """
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.constrained_layout.use": True,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 10,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            # yellow only by hand (on dark, or with markers): 1.2:1 against white
            "axes.prop_cycle": mpl.cycler(color=[c for c in OKABE_ITO if c != "#F0E442"]),
            "image.cmap": SEQUENTIAL_CMAP,
            "lines.linewidth": 2.0,
            "svg.hashsalt": "rnn-course",
        }
    )
    register_alt_text(captions=captions)


def figure_axes(ax=None, nrows=1, ncols=1, **subplots_kw):
    """Return ``(fig, ax)``: the figure of a given ``ax``, or a new figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or array of Axes, optional
        Where to draw. When given, its figure is returned with it.
    nrows, ncols : int
        Grid for a new figure.
    **subplots_kw
        Passed to :func:`matplotlib.pyplot.subplots` (``figsize``, ``sharex``, ...).

    Returns
    -------
    fig : matplotlib.figure.Figure
    ax : Axes or numpy array of Axes
    """
    if ax is None:
        return plt.subplots(nrows, ncols, **subplots_kw)
    first = np.ravel(ax)[0] if isinstance(ax, np.ndarray) else ax
    return first.figure, ax


def label(ax, xlabel=None, ylabel=None, title=None):
    """Set axis labels and a title in one call; return ``ax``."""
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    return ax


def heatmap(
    values,
    ax=None,
    xlabel="time step $t$",
    ylabel="unit",
    title=None,
    cmap=DIVERGING_CMAP,
    vmin=None,
    vmax=None,
    colorbar_label=None,
):
    """Draw a 2-D array as a heatmap (rows on the y axis); return the figure.

    Parameters
    ----------
    values : numpy.ndarray, shape (R, C)
        For example a hidden-state history transposed to (H, T).
    ax : matplotlib.axes.Axes, optional
    cmap : str
        Diverging by default, centred on 0 (``vmin = -vmax``) when no limits are given.

    Returns
    -------
    matplotlib.figure.Figure
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (R, C), got shape {values.shape}")
    fig, ax = figure_axes(ax)
    if vmin is None and vmax is None and cmap == DIVERGING_CMAP:
        vmax = float(np.max(np.abs(values))) or 1.0
        vmin = -vmax
    im = ax.imshow(
        values,
        aspect="auto",
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
        origin="lower",
    )
    ax.grid(False)
    cb = fig.colorbar(im, ax=ax)
    if colorbar_label:
        cb.set_label(colorbar_label)
    label(ax, xlabel, ylabel, title)
    return fig


# --- Text descriptions of figures (alt text) -------------------------------------------

#: The attribute of a figure that holds the lead sentence written by :func:`describe`.
DESCRIPTION_ATTR = "rnnlib_description"
#: At most this many lines, images or bar groups are described one by one per panel.
MAX_ITEMS = 6


def sweep_reach(lags, mean, lrs, threshold):
    """How far each learning rate of a sweep learned, as a description states it.

    Parameters
    ----------
    lags : sequence of int, length L
    mean : ndarray, shape (L, R)
        Percent of test sequences solved, per lag and learning rate.
    lrs : sequence of float, length R
    threshold : float
        The share (0-1) from which a lag counts as learned.

    Returns
    -------
    str
        ``"lr 0.01 learned up to lag 20 (31% at lag 40), lr 0.03 learned at no lag (...)"``.
    """
    per_lr = []
    for j, lr in enumerate(lrs):
        ok = [int(lag) for lag, m in zip(lags, mean[:, j], strict=True) if m >= 100 * threshold]
        reach = f"learned up to lag {max(ok)}" if ok else "learned at no lag"
        per_lr.append(f"lr {lr:g} {reach} ({fmt(mean[-1, j])}% at lag {int(lags[-1])})")
    return ", ".join(per_lr)


def fmt(x):
    """A number as a description states it: 2 significant digits, integers below 10000 exact.

    ``fmt(0.012345) == "0.012"``, ``fmt(1.2e-12) == "1.2e-12"``, ``fmt(40.0) == "40"``,
    ``fmt(12345.6) == "12000"``, ``fmt(3e12) == "3e12"``; NaN is ``"nan"`` and
    infinities ``"inf"``/``"-inf"``.
    """
    x = float(x)
    if not np.isfinite(x):
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    if x == int(x) and abs(x) < 10000:
        return str(int(x))
    text = f"{float(f'{x:.2g}'):g}"
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else text


def fmt_log10(value):
    """A number given by its base-10 logarithm, as :func:`fmt` states it: ``fmt_log10(-3)``: 0.001.

    Beyond the float range it stays a power of ten (``fmt_log10(-400.2) == "1e-400"``);
    ``-inf`` (an exact zero) is ``"0"``.
    """
    value = float(value)
    if value == -np.inf:
        return "0"
    if not np.isfinite(value):
        return fmt(value)
    if abs(value) < 300:
        return fmt(10.0**value)
    return f"1e{round(value)}"


def describe(fig, text):
    """Attach ``text``, a lead sentence that says what ``fig`` shows in numbers; return ``fig``.

    A plot function calls it last, with a sentence written from the arrays it drew
    (``f"... falls from {fmt(g[0])} to {fmt(g[-1])} by lag {lag[-1]}"``). It replaces
    any earlier lead of the same figure (a widget redraws on the same figure).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text : str

    Returns
    -------
    matplotlib.figure.Figure
        ``fig`` itself.
    """
    if not hasattr(fig, "axes") or not hasattr(fig, "savefig"):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    setattr(fig, DESCRIPTION_ATTR, " ".join(text.split()))
    return fig


def description(fig):
    """The full text description of ``fig``: its lead sentence, then :func:`auto_description`."""
    lead = getattr(fig, DESCRIPTION_ATTR, "") or ""
    parts = [lead.strip(), auto_description(fig)]
    return " ".join(p if p.endswith(".") else p + "." for p in parts if p)


def _plain(text):
    """Text of a label without TeX markup: ``"$h_t$"`` reads ``h_t``."""
    text = text.replace("$", "").replace("\\mathrm", "").replace("\\,", " ").replace("\\", "")
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


def _finite(values):
    values = np.ma.masked_invalid(np.ma.asarray(values, dtype=float)).compressed()
    return values


def _range(values):
    v = _finite(values)
    if v.size == 0:
        return "no finite values"
    lo, hi = v.min(), v.max()
    return f"{fmt(lo)}" if lo == hi else f"from {fmt(lo)} to {fmt(hi)}"


def _line_text(line):
    x = np.ma.asarray(line.get_xdata(orig=False), dtype=float).filled(np.nan)
    y = np.ma.asarray(line.get_ydata(orig=False), dtype=float).filled(np.nan)
    name = line.get_label()
    name = f"'{_plain(name)}'" if name and not name.startswith("_") else "an unlabelled line"
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return f"{name} with no finite points"
    x, y = x[ok], y[ok]
    if y.size >= 2 and np.all(y == y[0]) and not np.all(x == x[0]):
        return f"{name}: a horizontal line at y = {fmt(y[0])}"
    if x.size >= 2 and np.all(x == x[0]) and not np.all(y == y[0]):
        return f"{name}: a vertical line at x = {fmt(x[0])}"
    if y.size == 1:
        return f"{name}: one point at ({fmt(x[0])}, {fmt(y[0])})"
    lo, hi = int(np.argmin(y)), int(np.argmax(y))
    return (
        f"{name}, {y.size} points, x {_range(x)}: y starts at {fmt(y[0])} and ends at "
        f"{fmt(y[-1])}, minimum {fmt(y[lo])} at x = {fmt(x[lo])}, "
        f"maximum {fmt(y[hi])} at x = {fmt(x[hi])}"
    )


def _lines_text(lines):
    """Each line described; single-point markers of one colour and shape grouped together."""
    items, groups = [], {}
    for line in lines:
        x = np.ma.asarray(line.get_xdata(orig=False), dtype=float).filled(np.nan)
        y = np.ma.asarray(line.get_ydata(orig=False), dtype=float).filled(np.nan)
        if x.size != 1 or y.size != 1:
            items.append(_line_text(line))
            continue
        key = (str(line.get_color()), str(line.get_marker()))
        if key not in groups:
            groups[key] = [len(items), "", []]
            items.append(None)
        label = line.get_label()
        if label and not label.startswith("_") and not groups[key][1]:
            groups[key][1] = _plain(label)
        groups[key][2].append(f"({fmt(x[0])}, {fmt(y[0])})")
    for index, label, points in groups.values():
        name = f"'{label}'" if label else "unlabelled markers"
        n = len(points)
        items[index] = f"{name}: {n} point{'s' if n > 1 else ''} at " + ", ".join(points)
    return items


def _bar_text(ax, bars):
    heights = np.asarray(bars.datavalues, dtype=float)
    name = bars.get_label()
    name = f"'{_plain(name)}'" if name and not name.startswith("_") else "unlabelled"
    vertical = getattr(bars, "orientation", "vertical") != "horizontal"
    # categories: the tick labels at the bars' positions, when they are words
    pos = [
        p.get_x() + p.get_width() / 2 if vertical else p.get_y() + p.get_height() / 2
        for p in bars.patches
    ]
    axis = ax.xaxis if vertical else ax.yaxis
    ticks = dict(
        zip(
            np.round(axis.get_ticklocs(), 6),
            [t.get_text() for t in axis.get_ticklabels()],
            strict=False,
        )
    )
    cats = [ticks.get(round(p, 6), "") for p in pos]
    words = all(
        c and not c.replace(".", "").replace("−", "").replace("-", "").isdigit() for c in cats
    )
    keys = [_plain(c) for c in cats] if words else [fmt(p) for p in pos]
    shown = [f"{k}: {fmt(h)}" for k, h in zip(keys, heights, strict=True)]
    if len(shown) > 12:
        return (
            f"{len(shown)} bars ({name}) at x = {keys[0]} to {keys[-1]}, heights {_range(heights)}"
        )
    return f"{len(shown)} bars ({name}): " + ", ".join(shown)


def _image_text(im):
    arr = np.ma.asarray(im.get_array())
    shape = " by ".join(str(n) for n in arr.shape[:2])
    text = f"an image of {shape} values {_range(arr)}"
    cb = getattr(im, "colorbar", None)
    if cb is not None and cb.ax.get_ylabel():
        text += f" (colour bar: {_plain(cb.ax.get_ylabel())})"
    return text


def _collection_text(coll):
    from matplotlib.collections import LineCollection, PathCollection, PolyCollection, QuadMesh

    if isinstance(coll, QuadMesh):
        return _image_text(coll)
    name = coll.get_label()
    name = f" '{_plain(name)}'" if name and not name.startswith("_") else ""
    if isinstance(coll, PathCollection):
        xy = np.asarray(coll.get_offsets(), dtype=float)
        if xy.size == 0:
            return ""
        return f"scatter{name} of {len(xy)} points, x {_range(xy[:, 0])}, y {_range(xy[:, 1])}"
    if isinstance(coll, PolyCollection):
        verts = [p.vertices for p in coll.get_paths() if len(p.vertices)]
        if not verts:
            return ""
        xy = np.concatenate(verts)
        return f"a shaded band{name}, y {_range(xy[:, 1])}"
    if isinstance(coll, LineCollection):
        return f"{len(coll.get_segments())} line segments{name}"
    return ""


def _axis_text(axis, letter):
    label = _plain(axis.get_label_text())
    scale = axis.get_scale()
    text = f"{letter} axis"
    text += f" '{label}'" if label else " unlabelled"
    if scale != "linear":
        text += f" ({scale} scale)"
    return text


def _colorbar_axes(fig):
    owners = []
    for ax in fig.axes:
        for mappable in list(ax.images) + list(ax.collections):
            cb = getattr(mappable, "colorbar", None)
            if cb is not None:
                owners.append(cb.ax)
    return owners


def _axes_text(ax):
    from matplotlib.container import BarContainer

    parts = []
    title = " ".join(_plain(ax.get_title(loc)) for loc in ("left", "center", "right"))
    title = " ".join(title.split())
    if title:
        parts.append(f"titled '{title}'")
    parts.append(f"{_axis_text(ax.xaxis, 'x')}, {_axis_text(ax.yaxis, 'y')}")
    items = [_bar_text(ax, c) for c in ax.containers if isinstance(c, BarContainer)]
    items += [_image_text(im) for im in ax.images]
    items += [t for t in (_collection_text(c) for c in ax.collections) if t]
    items += _lines_text(ax.get_lines())
    if len(items) > MAX_ITEMS:
        items = items[:MAX_ITEMS] + [f"and {len(items) - MAX_ITEMS} more"]
    if not items:
        texts = [_plain(t.get_text()) for t in ax.texts if t.get_text().strip()]
        items = [f"text: {'; '.join(texts[:MAX_ITEMS])}"] if texts else ["nothing plotted"]
    return ", ".join(parts) + ": " + "; ".join(items)


def auto_description(fig):
    """Describe ``fig`` from its own artists, in numbers.

    Per panel (axes): its title, axis labels and non-linear scales, then each bar
    group (its heights), image or mesh (shape and value range), scatter, shaded band,
    and line (its label, number of points, x range, first and last y, minimum and
    maximum with where they fall); at most ``MAX_ITEMS`` items per panel. Colour bars
    are named with their image. Numbers have 2 significant digits (:func:`fmt`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str
        For example ``"Figure with 1 panel: x axis 'lag', y axis 'gradient norm' (log
        scale): 'tanh RNN', 40 points, x from 1 to 40: y starts at 1 and ends at 1e-12,
        ..."``.
    """
    if not hasattr(fig, "axes") or not hasattr(fig, "savefig"):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    colorbars = _colorbar_axes(fig)
    panels = [ax for ax in fig.axes if ax.get_visible() and not any(ax is c for c in colorbars)]
    n = len(panels)
    head = f"Figure with {n} panel{'s' if n != 1 else ''}"
    suptitle = _plain(fig.get_suptitle()) if hasattr(fig, "get_suptitle") else ""
    if suptitle:
        head += f", titled '{suptitle}'"
    if n == 1:
        return f"{head}: {_axes_text(panels[0])}."
    body = " ".join(f"Panel {k}, {_axes_text(ax)}." for k, ax in enumerate(panels, 1))
    return f"{head}. {body}"


#: Whether :func:`register_alt_text` also prints each description above its figure.
CAPTIONS = {"on": False}


def _png_with_alt(fig, printer):
    """Call the inline backend's PNG ``printer`` and add the figure's description as alt."""
    out = printer(fig)
    if out is None:
        return None
    data, metadata = out if isinstance(out, tuple) else (out, {})
    try:
        alt = description(fig)
    except Exception as err:  # a description must never cost the learner the figure
        alt = f"Figure (no description: {type(err).__name__})"
    if CAPTIONS["on"]:
        from IPython.display import publish_display_data

        publish_display_data({"text/plain": f"Figure description: {alt}"})
    return data, {**(metadata or {}), "alt": alt}


def register_alt_text(shell=None, captions=None):
    """In a running IPython kernel, store each figure's :func:`description` as PNG alt text.

    Wraps the PNG printer that the inline backend registered for
    :class:`matplotlib.figure.Figure` (so the image bytes, dpi and ``bbox_inches``
    stay exactly the inline backend's) in one that returns ``(png, {"alt": text})``;
    IPython stores the pair as ``output.data["image/png"]`` and
    ``output.metadata["image/png"]["alt"]``. The inline backend is loaded first, so
    that its own first-use registration cannot replace the wrapper later, and a hook
    before every cell wraps again whatever PNG printer ``%matplotlib inline`` or
    ``set_matplotlib_formats`` installed since (an SVG-only choice is left alone).
    Outside a kernel (a script, the tests) it does nothing.

    JupyterLab 4 draws an image output without its alt text (its ``renderImage``
    sets only ``src``, ``width`` and ``height``); nbconvert's ``classic`` template
    writes it, its ``lab`` template (the default) does not. A reader who needs the
    description inside JupyterLab turns on ``captions``: each description is then
    also shown as text above its figure.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running one.
    captions : bool or None
        Print each description as a text output above its figure. ``None``: on if
        the environment variable ``RNNLIB_FIGURE_CAPTIONS`` is ``1``.

    Returns
    -------
    bool
        ``True`` if a kernel's PNG printer now adds alt text.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if captions is None:
        captions = os.environ.get("RNNLIB_FIGURE_CAPTIONS", "") == "1"
    CAPTIONS["on"] = bool(captions)
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    backend = mpl.get_backend(auto_select=False)
    if backend and "inline" in backend.lower() and not plt.get_fignums():
        # load the inline backend now: on first use it registers its own PNG printer
        plt.switch_backend(backend)
    _wrap_png_printer(shell)
    if not getattr(shell, "_rnnlib_alt_hook", False):
        shell.events.register("pre_run_cell", lambda *args: _wrap_png_printer(shell))
        shell.events.register("post_execute", lambda: _wrap_png_printer(shell))
        shell._rnnlib_alt_hook = True
    return _is_alt_printer(shell)


def _is_alt_printer(shell):
    from matplotlib.figure import Figure

    try:
        printer = shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
    except KeyError:
        return False
    return getattr(printer, "adds_alt_text", False)


def _wrap_png_printer(shell):
    from functools import partial

    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        printer = formatter.lookup_by_type(Figure)
    except KeyError:
        return  # PNG is not a chosen format (SVG only, say): leave it
    if getattr(printer, "adds_alt_text", False):
        return
    wrapped = partial(_png_with_alt, printer=printer)
    wrapped.adds_alt_text = True
    formatter.for_type(Figure, wrapped)
