"""Answers for the autograder tests: a typical wrong answer per graded exercise, and cheats.

Each snippet is appended to the answer cell of the reference submission, so that it
replaces that one answer (a later definition wins) and leaves the cell's other answers
right. The wrong answers are the mistakes the checkers' own tests and hints know
(tests/test_exercises_*.py): a forgotten bias, a forward difference, the carried stream
dropped, the wrong gate order, log2 instead of ln...
"""

WRONG = {
    ("00", "my_shapes"): "my_shapes = dict(my_shapes, Wx=(16, 3))  # transposed",
    ("00", "my_steps"): "my_steps = 10",
    ("01", "my_rnn_step_forward"): """
def my_rnn_step_forward(x, h_prev, Wx, Wh, b):
    return np.tanh(x @ Wx + h_prev @ Wh)  # forgot the bias""",
    ("01", "my_rnn_forward_loop"): """
def my_rnn_forward_loop(x, h0, Wx, Wh, b):
    states, h_prev = [], h0
    for t in range(x.shape[1]):
        states.append(h_prev)  # one step late: keeps h0, drops the last state
        h_prev = np.tanh(x[:, t] @ Wx + h_prev @ Wh + b)
    return np.stack(states, axis=1)""",
    ("01", "my_count"): "my_count = 1345 * 100",
    ("01", "my_prediction"): 'my_prediction = "stays"',
    ("02", "my_central_difference"): """
def my_central_difference(f, x, h=1e-5):
    grad, f0 = np.zeros_like(x), f(x)
    for j in np.ndindex(x.shape):
        old = x[j]
        x[j] = old + h
        grad[j] = (f(x) - f0) / h  # forward difference
        x[j] = old
    return grad""",
    ("02", "my_mlp_backward"): """
def my_mlp_backward(dy, x, h1, W1, W2):
    da1 = dy @ W2.T  # forgot tanh'
    return da1 @ W1.T, x.T @ da1, da1.sum(axis=0), h1.T @ dy, dy.sum(axis=0)""",
    ("02", "my_prediction"): "my_prediction = 0.5**9",
    ("02", "my_answer"): 'my_answer = "explodes"',
    ("03", "my_sigmoid_step_backward"): """
def my_sigmoid_step_backward(dh_next, cache):
    x, h_prev, h_next, Wx, Wh = cache
    da = dh_next * (1 - h_next**2)  # tanh's derivative
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)""",
    ("03", "my_rnn_backward"): """
def my_rnn_backward(dh, x, h0, h, Wx, Wh):
    N, T, H = h.shape
    dx, dWx, dWh = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh)
    db, dh_prev = np.zeros(H), np.zeros_like(h0)
    for t in reversed(range(T)):
        da = dh[:, t] * (1 - h[:, t] ** 2)  # the carried stream is forgotten
        h_before = h0 if t == 0 else h[:, t - 1]
        dx[:, t], db = da @ Wx.T, db + da.sum(axis=0)
        dWx, dWh = dWx + x[:, t].T @ da, dWh + h_before.T @ da
        dh_prev = da @ Wh.T
    return dx, dh_prev, dWx, dWh, db""",
    ("03", "my_prediction"): 'my_prediction = "carried"',
    ("03", "my_dL_dh1"): "my_dL_dh1 = tiny.h[0] - tiny.y[0]  # only the immediate term",
    ("04", "my_pascanu_bound"): """
def my_pascanu_bound(Wh, gamma, T):
    rho = np.max(np.abs(np.linalg.eigvals(Wh)))  # spectral radius, not sigma_max
    return (gamma * rho) ** (T - np.arange(1, T + 1))""",
    ("04", "my_sigmoid_gamma"): """
def my_sigmoid_gamma():
    a = np.linspace(-10, 10, 1001)
    s = 1 / (1 + np.exp(-a))
    k = np.argmax(s * (1 - s))
    return a[k], (s * (1 - s))[k]  # the wrong order""",
    ("04", "my_predictions"): 'my_predictions = {"A": "explodes", "B": "vanishes", '
    '"C": "explodes", "D": "explodes"}',
    ("04", "my_clip_grad_norm"): """
def my_clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    for g in grads.values():  # each array clipped on its own
        n = np.sqrt(np.sum(g**2))
        if n >= max_norm:
            g *= max_norm / n
    return total""",
    ("05", "my_lstm_step_forward"): """
def my_lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
    s = 1 / (1 + np.exp(-a))
    i, f, o, g = s[:, :H], s[:, H:2*H], s[:, 2*H:3*H], np.tanh(a[:, 3*H:])  # i, f, o, g
    c = f * c_prev + i * g
    return o * np.tanh(c), c""",
    ("05", "my_c3"): "my_c3 = 0.52",
    ("05", "my_steps"): "my_steps = (6, 14, 36)",
    ("06", "my_adding_target"): """
def my_adding_target(x):
    return (x[:, :, 0] * x[:, :, 1]).sum(axis=1, keepdims=True) / 4  # forgot 0.5""",
    ("06", "my_success_rate"): """
def my_success_rate(pred, y):
    return float(np.sum(np.abs(pred - y) < 0.04))  # a count, not a fraction""",
    ("06", "my_chance_levels"): "my_chance_levels = (1 / 12, 0.16)",
    ("06", "my_matching_rnn_size"): """
def my_matching_rnn_size(H_lstm, D, out):
    return 2 * H_lstm""",
    ("07", "my_softmax_temperature"): """
def my_softmax_temperature(logits, temperature):
    p = np.exp(logits / temperature)  # overflows for large logits
    return p / p.sum()""",
    ("07", "my_bits_and_perplexity"): """
def my_bits_and_perplexity(loss_nats):
    return loss_nats / np.log(2), 2**loss_nats  # perplexity from nats as if bits""",
    ("07", "my_initial_loss"): "my_initial_loss = float(np.log2(V))  # bits, not nats",
    ("08", "my_gru_step_forward"): """
def my_gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    H = h_prev.shape[1]
    ax, ah = x @ Wx + bx, h_prev @ Wh + bh
    r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
    z = 1 / (1 + np.exp(-(ax[:, H:2*H] + ah[:, H:2*H])))
    n = np.tanh(ax[:, 2*H:] + r * ah[:, 2*H:])
    return z * n + (1 - z) * h_prev  # z and 1 - z swapped""",
    ("08", "my_gru_step_backward"): """
def my_gru_step_backward(dh_next, cache):
    x, h_prev, r, z, n, ah_n, h_next, Wx, Wh = cache
    dan = dh_next * (1 - z) * (1 - n**2)
    dz = dh_next * (h_prev - n) * z * (1 - z)
    dr = dan * ah_n * r * (1 - r)
    dax = np.concatenate([dr, dz, dan], axis=1)
    dah = np.concatenate([dr, dz, dan * r], axis=1)
    dh_prev = dah @ Wh.T  # the direct path dh_next * z is missing
    return dax @ Wx.T, dh_prev, x.T @ dax, h_prev.T @ dah, dax.sum(axis=0), dah.sum(axis=0)""",
    ("08", "my_half_life"): "my_half_life = float(np.log(0.5) / np.log(1 - 1 / (1 + np.exp(-3.0))))"
    "  # the half-life of 1 - z",
    ("09", "my_dot_attention"): """
def my_dot_attention(q, K, mask):
    e = np.einsum("nsh,nh->ns", K, q)  # not divided by sqrt(H)
    w = np.where(mask, np.exp(e - np.where(mask, e, -np.inf).max(axis=1, keepdims=True)), 0.0)
    alpha = w / w.sum(axis=1, keepdims=True)
    return np.einsum("ns,nsh->nh", alpha, K), alpha""",
    ("09", "my_weight"): "my_weight = 1 / 12  # the padded positions share the weight too",
}

#: Answers that give the right values through rnnlib itself: each must score zero.
CHEATS = {
    ("01", "my_rnn_step_forward"): "my_rnn_step_forward = cells.rnn_step_forward",
    ("01", "my_rnn_forward_loop"): """
def my_rnn_forward_loop(x, h0, Wx, Wh, b):
    return sequence.rnn_forward(x, h0, Wx, Wh, b)[0]""",
    ("01", "my_prediction"): "my_prediction = exercises.ZERO_INPUT_CHOICES[2]",
    ("04", "my_clip_grad_norm"): "my_clip_grad_norm = clip_grad_norm  # rnnlib.optim's",
    ("04", "my_predictions"): """
_gain = {k: exercises.regime_case_log_gain(c) for k, c in exercises.REGIME_CASES.items()}
my_predictions = {k: "vanishes" if g < -2 else "explodes" if g > 2 else "neither"
                  for k, g in _gain.items()}""",
    ("05", "my_lstm_step_forward"): """
def my_lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    h, c, _ = cells.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    return h, c""",
    ("05", "my_c3"): "my_c3 = exercises.lstm._cell_state_variants()[0]",
    ("09", "my_dot_attention"): """
def my_dot_attention(q, K, mask):
    return attention.dot_attention_forward(q, K, mask)[:2]  # rnnlib.attention's""",
    # (09's release reads exercises.attention.UNIFORM_LENGTH itself, the problem's given
    # length: reading it is no cheat; digging it out of the checker's globals is)
    ("09", "my_weight"): "my_weight = 1 / exercises.attention.check_uniform_weights"
    '.__globals__["UNIFORM_LENGTH"]',
}

#: A submission that misbehaves: loops, prints a lot, raises. (notebook 00)
HOSTILE = {
    ("00", "my_shapes"): "while True:  # never ends: stopped by nbgrader's timeout\n    pass",
    ("00", "my_steps"): "for i in range(20_000):\n    print('a lot of output', i)\nmy_steps = 16",
}
HOSTILE_EXTRA_CELL = 'raise RuntimeError("a cell of my own that fails")'

#: An honest student's own cells and notes, full of the words the old history check
#: flagged ("solutions", "exercises", "rnnlib") in strings, names, comments and markdown,
#: and a parameter named ``exercises``. The reference submission carries them all: it
#: must still score full marks.
HONEST_MARKDOWN = (
    "## My solutions to the exercises\n\n"
    "Written by me: no `rnnlib.exercises` internals, no `solutions/`."
)
HONEST_CELL = '''
note = "my solutions to the exercises are at the end"
solutions = {"exercises": ["rnnlib", "solutions"]}  # my solutions, not rnnlib.exercises'
n_exercises, rnnlib_note = len(solutions["exercises"]), "rnnlib.exercises and solutions/ unused"


def count_solutions(exercises, word="solutions"):
    """How many of my notes mention the solutions (a parameter named exercises)."""
    return exercises.count(word) + len([e for e in exercises if "exercises" in e])


print(note, count_solutions(["solutions", "exercises"]), exercises.__name__, rnnlib.__version__)
'''
#: Appended to every answer cell of the reference submission.
HONEST_SUFFIX = '''
# my solution above: not rnnlib.exercises' and not solutions/'
_my_solutions_note = "solutions to the exercises, rnnlib.exercises untouched"'''

#: Replacing a function the old hidden tests compared with, in the answer's own cell (after
#: a wrong answer): each costs that exercise, and only that one, with a message naming it.
PATCHES = {
    "numpy.max": "import numpy\nnumpy.max = lambda *a, **k: 0.0",
    "numpy.allclose": "import numpy\nnumpy.allclose = lambda *a, **k: True",
    "numpy.abs": "import numpy\nnumpy.abs = lambda x, *a, **k: 0.0 * numpy.asarray(x)",
    "builtins.abs": "import builtins\nbuiltins.abs = lambda x: 0.0",
}
#: Notebooks graded with patching submissions; in those of EXEC_PATCHED the patch is run
#: through ``exec`` (code the grader cannot read), which the kernel's report still shows.
PATCHED = ("01", "03", "09")
EXEC_PATCHED = ("03",)


def patch_snippet(function, prefix):
    """The patch of ``function`` as a submission of ``prefix`` writes it."""
    code = PATCHES[function]
    return f"exec({code!r})" if prefix in EXEC_PATCHED else code
