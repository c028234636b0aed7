"""Does every slider stay quick when the machine is busy? Widget updates and backward passes.

Each row is one widget update, timed the way the learner feels it: the widget's
pure plot function (the one the widget calls on every slider move) at the
widget's default settings and at its heaviest ones, plus rendering the figure to
a PNG as the notebook's inline backend does. Then the course-sized backward
passes (``rnn_backward`` at N=16, T=150, D=1, H=16 and friends).

Every row is timed ``--repeats`` times (30 by default) in four conditions:

* BLAS limited to one thread (the course's setting, ``rnnlib.setup()``) or
  unlimited (one thread per core, numpy's default);
* quiet, or *loaded*: one other process spins on the CPU, as a browser does on a
  learner's laptop.

The table gives the median and the worst time of each, and the loaded/quiet ratio
of the worst times. Target: at most 2x for every row with one thread.

Usage::

    python benchmarks/bench_widgets.py               # every row, 30 repeats
    python benchmarks/bench_widgets.py --quick       # 5 repeats
    python benchmarks/bench_widgets.py -k lstm       # rows whose label contains "lstm"

A quiet machine is needed for numbers that mean something: the load average is
printed before and after. Functions are found by name anywhere in ``rnnlib`` (the
widget modules first), so when one moves to another module the table below still
works; when one is renamed, its name in ``ROWS`` is the one line to change.
"""

from __future__ import annotations

import os

# numpy's BLAS reads these once, at import: unset them so that "unlimited" really is.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.pop(_var, None)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import pkgutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

import rnnlib  # noqa: E402
from rnnlib import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0

# --------------------------------------------------------------------------- the rows
# (label, function name, keyword arguments at the default, at the heaviest settings,
#  name of a setup function below giving extra arguments, or None)
# The function is the one the widget calls on every update; the settings are the
# widget's sliders (see the widget's constructor in rnnlib/widgets/; the plot functions
# are in rnnlib/plotting/).

HEAVY_04 = dict(T=200, input_scale=3.0, kind="gaussian", H=64, seed=9)  # 04's heaviest
HEAVY_05 = dict(b_f=8.0, b_o=8.0, w_g=3.0)  # 05's gate playground at its heaviest

ROWS = [
    ("00 first_slider", "plot_one_unit_rnn", dict(w=0.5, T=30), dict(w=-1.5, T=30), None),
    (
        "01 hidden_state_explorer",
        "plot_hidden_state_step",
        dict(t=12, radius=0.9),
        dict(t=40, radius=1.5),
        None,
    ),
    (
        "01 hidden_state_explorer, live: t",
        "hidden_state_explorer",
        dict(moves=[dict(t=12), dict(t=13)]),
        dict(moves=[dict(t=39, radius=1.5), dict(t=40, radius=1.5)]),
        "hidden_state_live_setup",
    ),
    (
        "01 hidden_state_explorer, live: radius",
        "hidden_state_explorer",
        dict(moves=[dict(radius=0.9), dict(radius=0.95)]),
        dict(moves=[dict(t=40, radius=1.45), dict(t=40, radius=1.5)]),
        "hidden_state_live_setup",
    ),
    ("02 chain_depth_explorer", "plot_chain_depth", dict(n=30, w=0.5), dict(n=100, w=4.0), None),
    (
        "02 chain_depth_explorer, live: n",
        "chain_depth_explorer",
        dict(moves=[dict(n=32), dict(n=33)]),
        dict(moves=[dict(n=99, w=4.0), dict(n=100, w=4.0)]),
        "chain_live_setup",
    ),
    (
        "02 chain_depth_explorer, live: w",
        "chain_depth_explorer",
        dict(moves=[dict(w=0.6), dict(w=0.7)]),
        dict(moves=[dict(n=100, w=3.8), dict(n=100, w=3.9)]),
        "chain_live_setup",
    ),
    (
        "02 chain_depth_explorer, live: h0",
        "chain_depth_explorer",
        dict(moves=[dict(h0=10**-0.1), dict(h0=10**-0.2)]),
        dict(moves=[dict(n=100, w=4.0, h0=1e-6), dict(n=100, w=4.0, h0=10**-5.9)]),
        "chain_live_setup",
    ),
    (
        "03 gradient_contributions",
        "plot_gradient_contributions",
        dict(t=30, log=True, scale=1.0),
        dict(t=40, log=True, scale=2.0),
        "contributions_setup",
    ),
    (
        "03 gradient_contrib., live: t",
        "gradient_contributions_explorer",
        dict(moves=[dict(t=30), dict(t=31)]),
        dict(moves=[dict(t=39, scale=2.0), dict(t=40, scale=2.0)]),
        "contributions_live_setup",
    ),
    (
        "03 gradient_contrib., live: scale",
        "gradient_contributions_explorer",
        dict(moves=[dict(scale=2**0.25), dict(scale=1.0)]),
        dict(moves=[dict(t=40, scale=2**0.75), dict(t=40, scale=2.0)]),
        "contributions_live_setup",
    ),
    (
        "04 gradient_explorer",
        "plot_gradient_explorer",
        "EXPLORER_DEFAULTS",
        dict(radius=4.0, activation="tanh", T=200, input_scale=3.0, kind="gaussian", H=64, seed=9),
        None,
    ),
    (
        "04 gradient_explorer, live: radius",
        "gradient_explorer",
        dict(moves=[dict(radius=1.0), dict(radius=2**0.05)]),
        dict(moves=[dict(HEAVY_04, radius=2**1.95), dict(HEAVY_04, radius=4.0)]),
        "gradient_explorer_live_setup",
    ),
    (
        "04 gradient_explorer, live: T (x axis)",
        "gradient_explorer",
        dict(moves=[dict(T=100), dict(T=110)]),
        dict(moves=[dict(HEAVY_04, T=190), dict(HEAVY_04, T=200)]),
        "gradient_explorer_live_setup",
    ),
    (
        "05 lstm_gate_playground",
        "plot_gate_playground",
        dict(b_i=-5.0, b_f=5.0, b_o=-5.0, w_g=2.0),
        dict(b_i=8.0, b_f=8.0, b_o=8.0, w_g=3.0),
        None,
    ),
    (
        "05 lstm_gate_playground, live: b_i",
        "lstm_gate_playground",
        dict(moves=[dict(b_i=-5.0), dict(b_i=-4.5)]),
        dict(moves=[dict(HEAVY_05, b_i=7.5), dict(HEAVY_05, b_i=8.0)]),
        "gate_playground_live_setup",
    ),
    (
        "05 lstm_vs_rnn_gradient_flow",
        "plot_gradient_flow",
        dict(forget_bias=1.0, scale=1.0),
        dict(forget_bias=5.0, scale=8.0),
        None,
    ),
    (
        "05 lstm_vs_rnn_gradient_flow, live: b_f",
        "lstm_vs_rnn_gradient_flow",
        dict(moves=[dict(forget_bias=1.0), dict(forget_bias=1.25)]),
        dict(moves=[dict(forget_bias=4.75, scale=8.0), dict(forget_bias=5.0, scale=8.0)]),
        "gradient_flow_live_setup",
    ),
    (
        "05 lstm_vs_rnn_gradient_flow, live: scale",
        "lstm_vs_rnn_gradient_flow",
        dict(moves=[dict(scale=1.0), dict(scale=2**0.5)]),
        dict(moves=[dict(forget_bias=5.0, scale=2**2.5), dict(forget_bias=5.0, scale=8.0)]),
        "gradient_flow_live_setup",
    ),
    (
        "06 adding_problem_explorer",
        "plot_adding_frame",
        dict(lag=80, example=0),
        dict(lag=160, example=39),
        "adding_setup",
    ),
    (
        "06 adding_problem_explorer, live: example",
        "adding_problem_explorer",
        dict(moves=[dict(example=0), dict(example=1)]),
        dict(moves=[dict(lag=160, example=38), dict(lag=160, example=39)]),
        "adding_live_setup",
    ),
    (
        "06 adding_problem_explorer, live: lag",
        "adding_problem_explorer",
        dict(moves=[dict(lag=40), dict(lag=80)]),
        dict(moves=[dict(lag=80), dict(lag=160)]),
        "adding_live_setup",
    ),
    (
        "09 alignment_explorer",
        "plot_example",
        dict(index=0),
        dict(index=133),  # 28 characters, the longest of these sources
        "alignment_setup",
    ),
    (
        "09 alignment_explorer, live",
        "alignment_explorer",
        dict(moves=[dict(index=0), dict(index=1)]),
        dict(moves=[dict(index=133), dict(index=15)]),  # 28 and 27 characters
        "alignment_live_setup",
    ),
    (
        "07 sampler",
        "sample_text",
        dict(prompt="The ", n=250, temperature=0.8, seed=0),
        dict(prompt="The ", n=250, temperature=3.0, seed=20),
        "charlm_sampler_setup",
    ),
    (
        "07 saliency_explorer",
        "saliency_comparison_html",
        dict(t="quote"),
        dict(t="last"),
        "charlm_saliency_setup",
    ),
    (
        "07 saliency_explorer, live: new t",
        "saliency_explorer",
        dict(seen=False, t="quote"),
        dict(seen=False, t="last"),
        "charlm_explorer_live_setup",
    ),
    (
        "07 saliency_explorer, live: seen t",
        "saliency_explorer",
        dict(seen=True, t="quote"),
        dict(seen=True, t="last"),
        "charlm_explorer_live_setup",
    ),
]

# (label, forward name, backward name, forward arguments' shapes (N, T, D, H), cell)
BACKWARD_ROWS = [
    ("rnn_backward (16, 150, 1, 16)", "rnn_forward", "rnn_backward", (16, 150, 1, 16), "rnn"),
    ("lstm_backward (16, 150, 1, 16)", "lstm_forward", "lstm_backward", (16, 150, 1, 16), "lstm"),
    ("lstm_backward (64, 80, 2, 16)", "lstm_forward", "lstm_backward", (64, 80, 2, 16), "lstm"),
    ("rnn_backward (64, 80, 2, 33)", "rnn_forward", "rnn_backward", (64, 80, 2, 33), "rnn"),
    ("gru_backward (16, 150, 1, 16)", "gru_forward", "gru_backward", (16, 150, 1, 16), "gru"),
]
OPTIONAL = {"gru_forward", "gru_backward"}  # rows for code that may not exist yet

# --------------------------------------------------------------------------- finding names

_MODULES = None


def _modules():
    """rnnlib.plotting, rnnlib.widgets and their modules first, then every other rnnlib module."""
    global _MODULES
    if _MODULES is None:
        names = []
        for package in ("rnnlib.plotting", "rnnlib.widgets"):
            names.append(package)
            names += [
                f"{package}.{m.name}"
                for m in pkgutil.iter_modules(importlib.import_module(package).__path__)
            ]
        names += [
            f"rnnlib.{m.name}"
            for m in pkgutil.iter_modules(rnnlib.__path__)
            if m.name not in ("plotting", "widgets", "exercises")
        ]
        _MODULES = [importlib.import_module(n) for n in names]
    return _MODULES


def find(name):
    """The public object ``name`` from the first rnnlib module that has it."""
    for module in _modules():
        if hasattr(module, name):
            return getattr(module, name)
    raise LookupError(f"no rnnlib module has {name!r}: update ROWS in {Path(__file__).name}")


# --------------------------------------------------------------------------- setups
# Each returns (positional arguments, a function turning the row's settings into keyword
# arguments); what a widget computes once, when it is built, happens here.


def contributions_setup():
    T, D, H, seed = 40, 4, 16, 0
    example_rnn, norms_of = find("scaled_orthogonal_rnn"), find("input_gradient_norms")
    table = {s: norms_of(*example_rnn(s, T, D, H, seed)) for s in (1.0, 2.0)}

    def kwargs(t, log, scale):
        return dict(norms=table[scale], t=t, log=log, scale=scale)

    return (), kwargs


def adding_setup():
    """Frames like notebook 06's, from untrained models (drawing costs the same)."""
    data, models = find("adding_problem"), importlib.import_module("rnnlib.models")
    window = find("first_marker_window")
    lags = (5, 10, 20, 40, 80, 160)
    test_sets = {
        T: data(1000, T, np.random.default_rng(1000 + T), first_within=window(T), dtype=np.float32)
        for T in lags
    }
    trained = {
        T: {
            cell: models.SequenceModel(
                2, H, 1, cell=cell, forget_bias=2.0, seed=0, dtype=np.float32
            )
            for cell, H in (("rnn", 33), ("lstm", 16))
        }
        for T in lags
    }
    frames = find("example_predictions")(test_sets, trained, n_examples=40)
    return (frames,), lambda **kw: kw


def live_moves(widget):
    """Slider moves of a widget built with ``interactive_plot``, one per call, as a learner
    makes them: ``move(moves=[{...}, {...}])`` shows the next settings of the cycle in the
    widget's own figure (its update, the draw and the PNG; ``widget.live``)."""
    made = [0]  # moves so far

    def move(moves):
        widget.live.show(**{**widget.kwargs, **moves[made[0] % len(moves)]})
        made[0] += 1

    return move


def adding_live_setup():
    (frames,), _ = adding_setup()
    return live_moves(find("adding_problem_explorer")(frames, example=0))


def _dates():
    model = find("Seq2Seq").load(ROOT / "data" / "dates-attention-seed0.npz", dtype=np.float64)
    sources, targets = find("make_dates")(200, np.random.default_rng(2026))
    return model, find("DateVocab")(), sources, targets


def alignment_setup():
    """plot_example on a new figure per move (the widget before its in-place update)."""
    model, vocab, sources, targets = _dates()
    return (model, vocab, sources, targets), lambda **kw: kw


def alignment_live_setup():
    return live_moves(find("alignment_explorer")(*_dates()))


def chain_live_setup():
    return live_moves(find("chain_depth_explorer")())


def contributions_live_setup():
    return live_moves(find("gradient_contributions_explorer")())


def hidden_state_live_setup():
    return live_moves(find("hidden_state_explorer")())


def gradient_explorer_live_setup():
    return live_moves(find("gradient_explorer")())


def gate_playground_live_setup():
    return live_moves(find("lstm_gate_playground")())


def gradient_flow_live_setup():
    return live_moves(find("lstm_vs_rnn_gradient_flow")())


def _charlm():
    load = find("load_charlm")
    lstm, vocab, _ = load(ROOT / "data" / "charlm-lstm.npz")
    rnn, _, _ = load(ROOT / "data" / "charlm-rnn.npz")
    return lstm, rnn, vocab


def charlm_sampler_setup():
    """The sampler's update: sample, then the caption's two statistics (as the widget)."""
    lstm, _, vocab = _charlm()
    corpus = (ROOT / "data" / "python-reference.txt").read_text(encoding="utf-8")
    known = set("".join(ch if ch.isalpha() else " " for ch in corpus.lower()).split())
    sample, rep, real = find("sample_text"), find("repetition"), find("real_word_fraction")

    def update(prompt, n, temperature, seed):
        text = sample(lstm, vocab, prompt, n, temperature, seed)
        return rep(text), real(text, known)

    return update


SNIPPET = (
    "For heterogeneous collections of data where access by name is clearer\n"
    'than access by index, "collections.namedtuple()" may be a more\n'
    "appropriate choice than a simple tuple object.\n"
)


def _charlm_passage(vocab):
    """What notebook 07's saliency cells read: SNIPPET after the 200 validation characters
    before it; and the positions of the quote and of the last prediction in it."""
    corpus = (ROOT / "data" / "python-reference.txt").read_text(encoding="utf-8")
    val_text = vocab.decode(find("train_val_split")(vocab.encode(corpus))[1])
    at, lead = val_text.index(SNIPPET), 200
    passage = val_text[at - lead : at + len(SNIPPET)]
    quote = lead + SNIPPET.index('namedtuple()"') + len("namedtuple()") - 1
    return passage, {"quote": quote, "last": len(passage) - 2}


def charlm_saliency_setup():
    """The static HTML of one position, as notebook 07's cell draws it (and the widget drew
    it on every move before it kept its numbers)."""
    lstm, rnn, vocab = _charlm()
    models = {"RNN": rnn, "LSTM": lstm}
    passage, where = _charlm_passage(vocab)

    def kwargs(t):
        return dict(models=models, vocab=vocab, text=passage, t=where[t], context=120)

    return (), kwargs


def charlm_explorer_live_setup():
    """The explorer's update in notebook 07: ``seen=False`` moves to a position whose
    saliency is not computed yet (what is kept is dropped first: a backward pass per
    model), ``seen=True`` to one computed before (only the HTML is built)."""
    lstm, rnn, vocab = _charlm()
    passage, where = _charlm_passage(vocab)
    with contextlib.redirect_stdout(io.StringIO()):  # its first view, shown outside a kernel
        widget = find("saliency_explorer")(
            {"RNN": rnn, "LSTM": lstm}, vocab, passage, t=where["quote"], context=120
        )

    def update(seen, t):
        if not seen:
            for explained in widget.explained.values():
                explained._saliency.clear()
        widget.html_at(where[t])

    return update


# --------------------------------------------------------------------------- timing


def render(out):
    """Finish an update as the inline backend does: a Figure becomes a PNG."""
    if isinstance(out, plt.Figure):
        out.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        plt.close(out)
    plt.close("all")


def widget_cases(pattern):
    """(label, callable) for every widget row at its default and heaviest settings."""
    cases = []
    for label, name, default, heavy, setup in ROWS:
        if pattern and pattern not in label:
            continue
        try:
            fn = find(name)
            if default == "EXPLORER_DEFAULTS":
                default = dict(find("EXPLORER_DEFAULTS"))
            if setup is None:
                args, to_kwargs = (), (lambda **kw: kw)
            else:
                made = globals()[setup]()
                if callable(made):  # the setup is the whole update
                    fn, args, to_kwargs = made, (), (lambda **kw: kw)
                else:
                    args, to_kwargs = made
        except (LookupError, OSError) as exc:
            cases.append((label, None, str(exc)))
            continue
        for which, settings in (("default", default), ("heaviest", heavy)):
            kwargs = to_kwargs(**settings)

            def update(fn=fn, args=args, kwargs=kwargs):
                render(fn(*args, **kwargs))

            cases.append((f"{label} ({which})", update, ""))
    return cases


def backward_cases(pattern):
    cases = []
    for label, fwd_name, bwd_name, (N, T, D, H), cell in BACKWARD_ROWS:
        if pattern and pattern not in label:
            continue
        try:
            fwd, bwd = find(fwd_name), find(bwd_name)
        except LookupError as exc:
            if fwd_name in OPTIONAL or bwd_name in OPTIONAL:
                print(f"(skipping {label}: {exc})")
                continue
            cases.append((label, None, str(exc)))
            continue
        rng = np.random.default_rng(0)
        G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
        x = rng.standard_normal((N, T, D))
        h0 = np.zeros((N, H))
        Wx = rng.standard_normal((D, G * H)) / np.sqrt(D)
        Wh = rng.standard_normal((H, G * H)) / np.sqrt(H)
        b = np.zeros(G * H)
        if cell == "lstm":
            args = (x, h0, np.zeros((N, H)), Wx, Wh, b)
        elif cell == "gru":  # PyTorch's form: an input bias and a hidden bias
            args = (x, h0, Wx, Wh, b, np.zeros(G * H))
        else:
            args = (x, h0, Wx, Wh, b)
        h, cache = fwd(*args)
        dh = rng.standard_normal(h.shape)
        cases.append((label, lambda dh=dh, cache=cache, bwd=bwd: bwd(dh, cache), ""))
    return cases


def time_case(fn, repeats):
    fn()  # warm-up: caches, first-call costs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def spinner():
    """Start a process that keeps one core busy; the caller ends it."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def blas_summary():
    libs = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return (
        ", ".join(
            f"{i.get('internal_api')} {i.get('version')} ({i.get('architecture')}, "
            f"{i.get('num_threads')} threads)"
            for i in libs
        )
        or "no BLAS found"
    )


def loadavg():
    if not hasattr(os, "getloadavg"):  # Windows
        return "n/a"
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def measure(cases, repeats):
    """{(label, threads): {"quiet": (median, worst), "loaded": (median, worst)}}.

    Each row is timed quiet and then loaded right after, so that a change in what
    else runs on the machine during the benchmark hits both alike.
    """
    settings = (("1", 1), ("all", os.cpu_count() or 1))
    results = {}
    for i, (label, fn, _) in enumerate(cases):
        if fn is None:
            continue
        try:
            for phase in ("quiet", "loaded"):
                busy = spinner() if phase == "loaded" else None
                try:
                    if busy is not None:
                        time.sleep(0.3)  # let it get going
                    for name, n in settings:
                        with threadpool_limits(limits=n, user_api="blas"):
                            results.setdefault((label, name), {})[phase] = time_case(fn, repeats)
                finally:
                    if busy is not None:
                        busy.kill()
                        busy.wait()
        except Exception as exc:  # a changed signature: report it, time the other rows
            cases[i] = (label, None, f"{type(exc).__name__}: {exc}")
        print(".", end="", flush=True)
    print()
    return results


def report(cases, results):
    ms = 1e3
    head = (
        f"{'update':<44} {'BLAS':>4}  {'quiet med':>9} {'worst':>8}  "
        f"{'loaded med':>10} {'worst':>8}  {'worst ratio':>11}"
    )
    print(head)
    print("-" * len(head))
    failed = []
    for label, fn, error in cases:
        if fn is None:
            print(f"{label:<44} FAILED: {error}")
            failed.append(label)
            continue
        for name in ("1", "all"):
            r = results[(label, name)]
            (qm, qw), (lm, lw) = r["quiet"], r["loaded"]
            ratio = lw / qw
            flag = ""
            if name == "1" and ratio > TARGET_RATIO:
                flag = f"  > {TARGET_RATIO:g}x"
                failed.append(label)
            print(
                f"{label:<44} {name:>4}  {qm * ms:7.1f}ms {qw * ms:6.1f}ms  "
                f"{lm * ms:8.1f}ms {lw * ms:6.1f}ms  {ratio:10.2f}x{flag}"
            )
    return failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="timed calls per condition")
    parser.add_argument("--quick", action="store_true", help="5 repeats")
    parser.add_argument("-k", dest="pattern", default="", help="only rows whose label has this")
    args = parser.parse_args(argv)
    repeats = 5 if args.quick else args.repeats

    plotting.setup()  # the notebooks' style: same fonts, same drawing cost
    print(
        f"bench_widgets: {repeats} repeats per condition, {os.cpu_count()} CPUs, "
        f"numpy {np.__version__}, BLAS: {blas_summary()}"
    )
    print(f"load average before: {loadavg()}")
    if hasattr(os, "getloadavg") and os.getloadavg()[0] > 0.5:
        print(
            "warning: other programs are using the CPU; 'quiet' below is not quiet, and "
            "the ratios understate or overstate the effect of load"
        )
    cases = widget_cases(args.pattern) + backward_cases(args.pattern)
    results = measure(cases, repeats)
    print(f"load average after:  {loadavg()}\n")
    print(
        "Times per update (compute + PNG for widgets). BLAS 1: the course's setting "
        "(rnnlib.setup()); all: one thread per core.\nLoaded: another process spins on "
        f"the CPU. Worst ratio: loaded worst / quiet worst; target <= {TARGET_RATIO:g}x "
        "with 1 thread.\n"
    )
    failed = report(cases, results)
    if failed:
        print(f"\nOver target or failed (1 thread): {', '.join(dict.fromkeys(failed))}")
        return 1
    print(f"\nEvery row within {TARGET_RATIO:g}x with one BLAS thread.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
