"""The graded exercises: ONE table, read by ``grading/build.py`` (standard library only).

Each row is one autograded exercise of a course notebook:

- ``notebook``: the two-digit prefix of ``notebooks/NN-*.ipynb``;
- ``answer``: the name the learner defines in the answer cell (``my_...``);
- ``checker``: the self-check in :mod:`rnnlib.exercises` that must say PASS;
- ``points``: what the exercise is worth (how they were set: README, "Grading with nbgrader");
- ``solution``: where the reference answer lives in ``solutions/`` (``module.name``);
- ``hidden``: how the hidden test judges it on fresh inputs, a mode and its options
  (``grading/generate.py`` makes the inputs and the expected values at build time).

A new notebook's exercises are graded by adding rows here (and, for a new kind of
function, a case maker in ``grading/cases.py``, and a typical wrong answer per row in
``tests/grading/answers.py``, which the autograde test grades). Exercises without a row (the worked
example of notebook 00, predict-then-run questions answered by the notebook's own
experiment, free exploration) stay in the release as they are, ungraded.
"""

from __future__ import annotations

from typing import NamedTuple


class Exercise(NamedTuple):
    notebook: str
    answer: str
    checker: str
    points: int
    solution: str
    hidden: dict


def fn(cases, tol, **options):
    """A function answer: called on fresh random inputs made by ``cases.<cases>``."""
    return {"mode": "function", "cases": cases, "tol": tol, **options}


def value(kind, **options):
    """A value answer: ``number`` (``tol``), ``whole`` (``slack``), ``word`` (``accept``
    stems), ``words`` (a dict of words), ``wholes``/``numbers`` (a tuple), ``shapes``."""
    return {"mode": "value", "kind": kind, **options}


# Points: 1 for a prediction or a number worked out by hand; 2 for one that takes several
# steps or an implementation of one formula (one output, or attention's context and
# weights); 3 for a backward pass through one layer or RNN step (five outputs) or an
# in-place update; 4 for full BPTT and a gated cell's step, forward or backward (the LSTM
# step, the GRU step and its backward).
# A checker of a later notebook is named with its module (``gru.check_...``), as called.
EXERCISES = [
    Exercise("00", "my_shapes", "check_shapes", 1, "start.SHAPES", value("shapes")),
    Exercise(
        "00", "my_steps", "check_pulse_steps", 1, "start.PULSE_STEPS", value("whole", slack=1)
    ),
    Exercise(
        "01",
        "my_rnn_step_forward",
        "check_rnn_step_forward",
        2,
        "recurrence.rnn_step_forward",
        fn("rnn_step", 1e-10),
    ),
    Exercise(
        "01",
        "my_rnn_forward_loop",
        "check_rnn_forward_loop",
        2,
        "recurrence.rnn_forward_loop",
        fn("rnn_sequence", 1e-10),
    ),
    Exercise(
        "01",
        "my_count",
        "check_param_count_prediction",
        1,
        "recurrence.PARAM_COUNT_T1000",
        value("whole"),
    ),
    Exercise(
        "01",
        "my_prediction",
        "check_zero_input_prediction",
        1,
        "recurrence.ZERO_INPUT_PREDICTION",
        value("word", accept=["shrink"]),
    ),
    Exercise(
        "02",
        "my_central_difference",
        "check_central_difference",
        2,
        "chain_rule.central_difference",
        fn("central_difference", 1e-7),
    ),
    Exercise(
        "02",
        "my_mlp_backward",
        "check_mlp_backward",
        3,
        "chain_rule.mlp_backward_by_hand",
        fn("mlp_backward", 1e-7, exact_count=True),
    ),
    Exercise(
        "02",
        "my_prediction",
        "check_chain_prediction",
        1,
        "chain_rule.CHAIN_PREDICTION",
        value("number", tol=0.025),
    ),
    Exercise(
        "02",
        "my_answer",
        "check_saturation_prediction",
        1,
        "chain_rule.SATURATION_PREDICTION",
        value("word", accept=["vanish", "shrink", "decay", "small", "zero"]),
    ),
    Exercise(
        "03",
        "my_sigmoid_step_backward",
        "check_sigmoid_step_backward",
        3,
        "bptt.sigmoid_step_backward",
        fn("sigmoid_step_backward", 1e-7),
    ),
    Exercise(
        "03",
        "my_rnn_backward",
        "check_rnn_backward",
        4,
        "bptt.rnn_backward",
        fn("rnn_backward", 1e-7),
    ),
    Exercise(
        "03",
        "my_prediction",
        "check_missing_stream",
        1,
        "bptt.MISSING_STREAM",
        value("word", accept=["immediate", "output", "the immediate", "the output"]),
    ),
    Exercise(
        "03", "my_dL_dh1", "check_dL_dh1", 2, "bptt.dL_dh1(tiny_rnn_T3)", value("number", tol=1e-3)
    ),
    Exercise(
        "04",
        "my_pascanu_bound",
        "check_pascanu_bound",
        2,
        "vanishing.pascanu_bound",
        fn("pascanu_bound", 1e-10),
    ),
    Exercise(
        "04",
        "my_sigmoid_gamma",
        "check_sigmoid_gamma",
        1,
        "vanishing.sigmoid_gamma",
        fn("no_arguments", 1e-4, compare="gamma"),
    ),
    Exercise(
        "04",
        "my_predictions",
        "check_regime_predictions",
        2,
        "vanishing.REGIME_PREDICTIONS",
        value("words"),
    ),
    Exercise(
        "04",
        "my_clip_grad_norm",
        "check_clip_grad_norm",
        3,
        "vanishing.clip_grad_norm",
        fn("clip_grad_norm", 1e-10, compare="in_place"),
    ),
    Exercise(
        "05",
        "my_lstm_step_forward",
        "check_lstm_step_forward",
        4,
        "lstm.lstm_step_forward",
        fn("lstm_step", 1e-7),
    ),
    Exercise(
        "05",
        "my_c3",
        "check_cell_state_prediction",
        1,
        "lstm.CELL_STATE_PREDICTION",
        value("number", tol=1e-3),
    ),
    Exercise("05", "my_steps", "check_memory_lifetime", 1, "lstm.MEMORY_LIFETIME", value("wholes")),
    Exercise(
        "06",
        "my_adding_target",
        "check_adding_target",
        1,
        "memory.adding_target",
        fn("adding_target", 1e-12),
    ),
    Exercise(
        "06",
        "my_success_rate",
        "check_success_rate",
        1,
        "memory.success_rate",
        fn("success_rate", 1e-12),
    ),
    Exercise(
        "06",
        "my_chance_levels",
        "check_chance_levels",
        2,
        "memory.CHANCE_LEVELS",
        value("numbers", tol=1e-4),
    ),
    Exercise(
        "06",
        "my_matching_rnn_size",
        "check_matching_rnn_size",
        2,
        "memory.matching_rnn_size",
        fn("matching_rnn_size", 0.0),
    ),
    Exercise(
        "07",
        "my_softmax_temperature",
        "check_softmax_temperature",
        2,
        "charlm.softmax_temperature",
        fn("softmax_temperature", 1e-7),
    ),
    Exercise(
        "07",
        "my_bits_and_perplexity",
        "check_bits_and_perplexity",
        1,
        "charlm.bits_and_perplexity",
        fn("bits_and_perplexity", 1e-9),
    ),
    Exercise(
        "07",
        "my_initial_loss",
        "check_initial_loss",
        1,
        "charlm.initial_loss(vocab_size)",
        value("number", tol=0.03),
    ),
    Exercise(
        "08",
        "my_gru_step_forward",
        "gru.check_gru_step_forward",
        4,
        "gru.gru_step_forward",
        fn("gru_step", 1e-7),
    ),
    Exercise(
        "08",
        "my_gru_step_backward",
        "gru.check_gru_step_backward",
        4,
        "gru.gru_step_backward",
        fn("gru_step_backward", 1e-7, exact_count=True),
    ),
    Exercise(
        "08",
        "my_half_life",
        "gru.check_update_half_life",
        1,
        "gru.UPDATE_HALF_LIFE",
        value("number", tol=1e-2),
    ),
    Exercise(
        "09",
        "my_dot_attention",
        "attention.check_dot_attention_forward",
        2,
        "attention.dot_attention_forward",
        fn("dot_attention", 1e-7),
    ),
    Exercise(
        "09",
        "my_weight",
        "attention.check_uniform_weights",
        1,
        "attention.UNIFORM_WEIGHT",
        value("number", tol=1e-3),
    ),
]

#: Text that gives a graded answer away, removed from the release: per notebook,
#: ``(regular expression, replacement)`` pairs, each of which must match exactly once (so a
#: reworded notebook fails the build instead of leaking). Every ``<details>`` block goes too.
REDACT = {
    "02": [(r"\n- In the chain \$h_k = \\tanh\(w h_\{k-1\}\)\$.*\Z", "")],  # exercises 3, 4
    "04": [
        (r", \$1/4\$ for the sigmoid \(the top of \$s\(1-s\)\$, at \$a = 0\$\)", ""),
        (r" \(a sigmoid RNN with \$W_h = 3Q\$ must vanish\)", ""),
        (
            r": the same \$W_h = 2Q\$ with tanh explodes on small inputs and vanishes on large "
            r"ones, because saturated units have \$f' \\approx 0\$",
            "",
        ),
    ],
    "06": [
        (
            r"Always predicting 0\.5 gives an MSE of \$1/24\$ and solves 15 % of the "
            r"sequences; keeping",
            "Keeping",
        )
    ],
    "07": [(r" An untrained model starts near \$\\ln V = [0-9.]+\$ nats \([^)]*\)\.", "")],
    "09": [(r", equal scores give the plain mean,", ",")],
}


def notebooks():
    """The notebook prefixes that have graded exercises, in order."""
    return sorted({e.notebook for e in EXERCISES})


def max_points(notebook):
    return sum(e.points for e in EXERCISES if e.notebook == notebook)
