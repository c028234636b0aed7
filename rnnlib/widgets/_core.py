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

import matplotlib.pyplot as plt

__all__ = [
    "STATIC_NOTE",
    "interactive_plot",
    "text_form",
    "with_text_form",
]

STATIC_NOTE = "the figure above shows the defaults"
"""What a reader without a kernel sees instead of the widget; the usual second half
of a widget's text form. Pass another ``note`` where no default figure precedes it."""


def interactive_plot(plot_fn, **controls):
    """Build an ``ipywidgets.interactive`` that redraws ``plot_fn`` when a control moves.

    Parameters
    ----------
    plot_fn : callable
        A pure plot function: keyword arguments in, ``matplotlib.figure.Figure`` out.
    **controls
        ``ipywidgets`` controls (or ``interact`` abbreviations) by keyword name;
        fixed values can be passed with ``ipywidgets.fixed``.

    Returns
    -------
    ipywidgets.interactive
        Display it (or return it from a cell). Its ``.children`` are the controls
        followed by the output area. Its text form (``repr`` and the ``text/plain``
        of its display) names the controls: see :func:`text_form`.
    """
    import ipywidgets

    def show(**kwargs):
        plot_fn(**kwargs)
        plt.show()

    show.__name__ = getattr(plot_fn, "__name__", "plot")
    w = _interactive_class()(show, **controls)
    w.layout = ipywidgets.Layout(width="100%")
    return with_text_form(w)


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
