"""What every widget of the course shares: a pure plot function behind sliders.

A widget here is ``ipywidgets.interactive`` over a function that draws and
returns a figure. The function is the same one the notebook calls once with
the default values just before the widget, so the notebook reads well on
GitHub and in CI, where no widget frontend runs.

Where no frontend runs (GitHub, nbviewer, an HTML export), a stored widget
output shows its *text form*, the ``text/plain`` of its display. ipywidgets
makes that ``repr(widget)`` cut at 110 characters
(``interactive(children=(FloatLogSlider(value=1.0, base=2.0, ...``); the
course's widgets say instead what they control:

    Interactive: spectral radius, activation, length T, input scale. Run the
    notebook to move them; the figure above shows the defaults.

:func:`interactive_plot` gives its widgets that text form by itself;
:func:`with_text_form` gives it to any other widget (a ``VBox`` of controls
built by hand), and :func:`text_form` writes the sentence.
"""

from __future__ import annotations

import re

__all__ = [
    "STATIC_NOTE",
    "LiveFigure",
    "interactive_plot",
    "png_bytes",
    "text_form",
    "with_text_form",
]

STATIC_NOTE = "the figure above shows the defaults"
"""What a reader without a kernel sees instead of the widget; the usual second half
of a widget's text form. Pass another ``note`` where no default figure precedes it."""


def interactive_plot(plot_fn, update=None, **controls):
    """Build an ``ipywidgets.interactive`` that redraws ``plot_fn`` when a control moves.

    The figure is drawn once by ``plot_fn`` and then kept: it is shown as an
    ``ipywidgets.Image`` (a PNG) inside the interactive's output area, and a move of a
    control only changes that image's bytes (see :class:`LiveFigure`). With ``update``,
    a move changes the data of the figure's artists in place and draws only what
    changed over a cached background; without it, ``plot_fn`` draws a new figure that
    replaces the old one in the same image.

    Parameters
    ----------
    plot_fn : callable
        A pure plot function: keyword arguments in, ``matplotlib.figure.Figure`` out.
    update : callable, optional
        ``update(fig, **kwargs)`` for a figure drawn by ``plot_fn``: sets the artists'
        data for the new keyword arguments and returns the artists that changed (drawn
        over a cached background), or None when the axes changed too (a full redraw).
        Such functions live next to their plot function (``update_*`` in
        ``rnnlib/plotting/<topic>.py``).
    **controls
        ``ipywidgets`` controls (or ``interact`` abbreviations) by keyword name;
        fixed values can be passed with ``ipywidgets.fixed``.

    Returns
    -------
    ipywidgets.interactive
        Display it (or return it from a cell). Its ``.children`` are the controls
        followed by the output area; ``.live`` is its :class:`LiveFigure`. Its text
        form (``repr`` and the ``text/plain`` of its display) names the controls: see
        :func:`text_form`.
    """
    import ipywidgets

    live = LiveFigure(plot_fn, update)
    show = live.show
    w = _interactive_class()(show, clear_output=False, **controls)
    w.live = live
    live.attach(w.out)
    w.layout = ipywidgets.Layout(width="100%")
    return with_text_form(w)


class LiveFigure:
    """One matplotlib figure kept alive and shown as a PNG in an ``ipywidgets.Image``.

    Why an image and not a new inline figure per update: the inline backend builds a
    new figure, lays it out, draws it twice (``bbox_inches="tight"``) and sends a new
    output that the page must replace; here the figure, its layout and its background
    are kept, only the changed artists are drawn, and the page swaps the bytes of one
    ``<img>`` (about 5x less work per move; see ``benchmarks/bench_browser.py``).

    Parameters
    ----------
    plot_fn, update : callable
        As for :func:`interactive_plot`.

    Attributes
    ----------
    fig : matplotlib.figure.Figure or None
        The figure shown (None before the first :meth:`show`). Not registered with
        pyplot, so the inline backend never shows it by itself.
    image : ipywidgets.Image
        The PNG of ``fig``. (No ``tooltip``: ipywidgets 8.1's page code fails to show
        an Image that has one.)
    draws : dict
        How many updates were ``"full"`` draws, ``"blit"`` draws of the changed
        artists only, and ``"new"`` figures.
    """

    def __init__(self, plot_fn, update=None):
        import ipywidgets

        self.plot_fn, self.update = plot_fn, update
        self.fig = None
        self.image = ipywidgets.Image(format="png")
        self.draws = {"full": 0, "blit": 0, "new": 0}
        self._out = None
        self._failed = False
        self._background = None
        self._animated = ()
        self._rows = None  # png_bytes writes each image's rows here

    def attach(self, out):
        """Show the image in the output widget ``out`` (once; updates change its bytes)."""
        from IPython.display import display

        self._out = out
        out.clear_output()
        with out:
            display(self.image)

    def show(self, **kwargs):
        """Draw the figure for ``kwargs`` (a control moved) and put its PNG in the image."""
        if self._failed and self._out is not None:  # a traceback is shown: clear it
            self.attach(self._out)
        self._failed = True  # until this update succeeds
        changed = None
        if self.fig is not None and self.update is not None:
            changed = self.update(self.fig, **kwargs)
        else:
            self._new_figure(self.plot_fn(**kwargs))
        self.image.value = self._png(changed)
        self._failed = False
        return None

    def prepare_blit(self, **kwargs):
        """Show ``kwargs`` (the values shown now) once more through ``update``: the first
        move of a control then blits too.

        The first update of a figure finds out which artists change, and draws the whole
        figure to keep a background without them. A widget builder that calls this
        (``w.live.prepare_blit(**w.kwargs)``) pays that full draw when it is built, not at
        the learner's first move. Does nothing without ``update``.
        """
        if self.update is not None and self.fig is not None:
            self.show(**kwargs)

    def _new_figure(self, fig):
        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        plt.close(fig)  # not pyplot's any more: the inline backend must not show it
        if self.fig is not None:
            self.draws["new"] += 1
        FigureCanvasAgg(fig)  # closing left it a canvas that cannot draw
        self.fig, self._background, self._animated = fig, None, ()

    def _png(self, changed):
        """Draw (all, or the ``changed`` artists over the background) and encode a PNG.

        A full draw happens for a new figure, for a new set of changed artists (they
        are left out of the new background), and when the update returned None (axes
        changed): then the artists of the last update stay left out of the background,
        so that the next move of the same slider is a blit again.
        """
        fig, canvas = self.fig, self.fig.canvas
        changed = tuple(changed) if changed is not None else None
        if changed is None or self._background is None or changed != self._animated:
            if changed is None:  # those of the last update, unless they left the figure
                changed = tuple(a for a in self._animated if a.figure is fig)
            self._animate(changed)
            canvas.draw()
            if fig.get_layout_engine() is not None:
                fig.set_layout_engine("none")  # keep the first layout: no re-layout per move
            self._background = canvas.copy_from_bbox(fig.bbox)
            self.draws["full"] += 1
        else:
            canvas.restore_region(self._background)
            self.draws["blit"] += 1
        for artist in self._animated:
            fig.draw_artist(artist)
        rgba = canvas.buffer_rgba()
        if self._rows is None or self._rows.shape != (rgba.shape[0], 1 + 3 * rgba.shape[1]):
            import numpy as np

            self._rows = np.empty((rgba.shape[0], 1 + 3 * rgba.shape[1]), np.uint8)
        return png_bytes(rgba, self._rows)

    def _animate(self, artists):
        """Make ``artists`` the ones left out of the background (and drawn on top)."""
        for artist in self._animated:
            artist.set_animated(False)
        self._animated = artists
        for artist in artists:
            artist.set_animated(True)


def png_bytes(rgba, rows=None):
    """A PNG of an RGBA image, without its alpha channel: what :class:`LiveFigure` sends.

    Written here rather than by PIL (``Image.save(format="png", compress_level=1)``)
    because it takes half the time or less for the same pixels and a PNG at most a fifth
    larger: PIL tries five PNG filters on every row, here every row is stored unfiltered
    (filter type 0) and compressed by zlib at level 1 (about 3 ms for a 700 x 660 figure).

    Parameters
    ----------
    rgba : array-like of uint8, shape (height, width, 4)
        For example ``FigureCanvasAgg.buffer_rgba()`` (alpha is dropped: a figure's
        background is opaque).
    rows : numpy.ndarray of uint8, shape (height, 1 + 3 * width), optional
        Where to write the rows before compressing them (their filter byte, then the RGB
        bytes). Passing the same array to every call of a figure's size saves allocating
        (and the system zeroing) 1 to 2 MB per image.

    Returns
    -------
    bytes
        An 8-bit RGB PNG (colour type 2), not interlaced.
    """
    import struct
    import zlib

    import numpy as np
    from PIL import Image

    rgba = np.ascontiguousarray(rgba)
    height, width = rgba.shape[:2]
    if rows is None or rows.shape != (height, 1 + 3 * width):
        rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # filter type 0, "None"
    # PIL packs RGBA into RGB bytes several times faster than a strided numpy copy
    rgb = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).tobytes("raw", "RGB")
    rows[:, 1:] = np.frombuffer(rgb, np.uint8).reshape(height, 3 * width)

    def chunk(kind, data):
        crc = zlib.crc32(data, zlib.crc32(kind))
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows, 1)),
            chunk(b"IEND", b""),
        ]
    )


def text_form(controls, note=STATIC_NOTE):
    """The sentence a widget shows where it cannot run, naming its controls.

    ``"Interactive: spectral radius, activation, length T. Run the notebook to
    move them; the figure above shows the defaults."``

    Parameters
    ----------
    controls : iterable of ipywidgets.Widget or str
        The controls, in display order. A widget contributes its ``description``
        (with LaTeX ``$`` and ``\\`` removed, so ``"step $t$"`` reads
        ``"step t"``); a str is used as it is. Widgets without a description
        (an output area, a layout box) are skipped.
    note : str
        What the reader sees instead, after "Run the notebook to move them; ".

    Returns
    -------
    str
    """
    names = []
    for c in controls:
        name = c if isinstance(c, str) else getattr(c, "description", "")
        name = re.sub(r"\s+", " ", re.sub(r"[$\\]", "", name)).strip().rstrip(":")
        if name and name not in names:
            names.append(name)
    if not names:
        return f"Interactive. Run the notebook to use it; {note}."
    them = "it" if len(names) == 1 else "them"
    return f"Interactive: {', '.join(names)}. Run the notebook to move {them}; {note}."


def with_text_form(widget, text=None, *, controls=None, note=STATIC_NOTE):
    """Give ``widget`` a text form that reads well on GitHub and nbviewer; return it.

    Sets the ``text/plain`` of the widget's display, which is what a stored
    output shows without a kernel, and the widget's ``repr``; the widget itself
    works as before.

    Parameters
    ----------
    widget : ipywidgets.Widget
        Typically an ``ipywidgets.interactive`` or a ``VBox`` of controls and outputs.
    text : str, optional
        The text form, verbatim. Default: :func:`text_form` of ``controls``.
    controls : iterable of ipywidgets.Widget or str, optional
        Default: the widget's controls, found by walking its children (sliders,
        dropdowns, checkboxes, text boxes, buttons; not labels, HTML, progress
        bars or outputs). For an ``interactive``, its own controls.
    note : str
        Passed to :func:`text_form`.

    Returns
    -------
    ipywidgets.Widget
        ``widget`` itself, so a builder can end with ``return with_text_form(box)``.

    Examples
    --------
    >>> import ipywidgets
    >>> box = ipywidgets.VBox([ipywidgets.IntSlider(description="seed"), ipywidgets.Output()])
    >>> box = with_text_form(box, note="the text above was sampled with seed 0")
    >>> print(box._repr_mimebundle_()["text/plain"])
    Interactive: seed. Run the notebook to move it; the text above was sampled with seed 0.
    """
    if text is None:
        text = text_form(_controls_of(widget) if controls is None else controls, note)
    widget.text_form = text
    base = type(widget)._repr_mimebundle_

    def _repr_mimebundle_(**kwargs):
        data = base(widget, **kwargs)
        if data:  # None once the widget is closed, as in ipywidgets
            data["text/plain"] = widget.text_form
        return data

    widget._repr_mimebundle_ = _repr_mimebundle_
    widget.__class__ = _with_text_repr(type(widget))  # repr(widget) is the text form too
    return widget


_TEXT_REPR_CLASSES = {}


def _with_text_repr(cls):
    """A subclass of ``cls`` (same name, no new traits) whose ``repr`` is ``text_form``."""
    if getattr(cls, "_repr_is_text_form", False):
        return cls
    if cls not in _TEXT_REPR_CLASSES:

        def __repr__(self):
            return getattr(self, "text_form", None) or cls.__repr__(self)

        _TEXT_REPR_CLASSES[cls] = type(
            cls.__name__,
            (cls,),
            {
                "__repr__": __repr__,
                "_repr_is_text_form": True,
                "__doc__": cls.__doc__,
                "__module__": cls.__module__,
            },
        )
    return _TEXT_REPR_CLASSES[cls]


def _controls_of(widget):
    import ipywidgets

    if _is_interactive(widget):
        return [w for w in widget.kwargs_widgets if isinstance(w, ipywidgets.DOMWidget)]
    not_controls = (
        ipywidgets.Label,
        ipywidgets.HTML,
        ipywidgets.HTMLMath,
        ipywidgets.Output,
        ipywidgets.IntProgress,
        ipywidgets.FloatProgress,
        ipywidgets.Valid,
    )
    found = []

    def walk(w):
        if isinstance(w, ipywidgets.Box):
            for child in w.children:
                walk(child)
        elif isinstance(w, ipywidgets.Button) or (
            isinstance(w, ipywidgets.ValueWidget) and not isinstance(w, not_controls)
        ):
            found.append(w)

    walk(widget)
    return found


def _is_interactive(widget):
    import ipywidgets

    return isinstance(widget, ipywidgets.interactive)


_INTERACTIVE_CLASS = []


def _interactive_class():
    """``ipywidgets.interactive`` whose ``repr`` is its text form.

    Made once, on first use, so that importing rnnlib.widgets does not import
    ipywidgets (the other functions here import it inside, for the same reason).
    """
    if not _INTERACTIVE_CLASS:
        import ipywidgets

        class interactive(ipywidgets.interactive):  # noqa: N801 - keeps ipywidgets' name
            __doc__ = ipywidgets.interactive.__doc__
            _repr_is_text_form = True

            def __repr__(self):
                return getattr(self, "text_form", None) or super().__repr__()

        interactive.__qualname__ = "interactive"
        _INTERACTIVE_CLASS.append(interactive)
    return _INTERACTIVE_CLASS[0]
