"""rnnlib: the numpy code behind *Recurrent networks from scratch*.

One idea per module:

=============  ==============================================================
activations    tanh, stable sigmoid, relu, softmax; derivatives from outputs
cells          one time step: RNN, LSTM and GRU, forward and backward
sequence       T steps: forward, full BPTT, truncated BPTT (vectorised)
layers         dense, time-distributed dense, embedding, a small MLP
losses         softmax cross-entropy over (N, T, V), mean squared error
optim          SGD, momentum, Adagrad, Adam; clipping by norm and by value
gradcheck      central differences, relative error, check a backward pass
data           seeded tasks: noisy time series, adding problem, text
models         a small trainable sequence model (RNN, LSTM or GRU core)
lm             character language models: bits/char, n-grams, sampling, saliency
min_char_rnn   the one-stream training loop of min-char-rnn, for comparison
analysis       Jacobian products, gradient norms per step, singular values
one_unit       the one-unit RNN fed one pulse (notebook 00)
chain_rule     the deep tanh chain and its finite-difference referee (02)
bptt           how far back one loss reaches: ||dL_t/dx_s|| for every pair (03)
attention      masks, additive and dot-product attention, self-attention (09)
seq2seq        GRU encoder-decoder: masked encoder, teacher forcing, greedy, beam (09)
dates          the dates task: dates written many ways -> ISO 8601 (09)
timing         best-of-n wall time for timing cells and benchmarks
claims         claim(): a sentence of the text that rests on an experiment, checked
gradient_flow  gradient vs bound (04), RNN vs LSTM by lag (05), GRU gate (08)
one_unit_lstm  05's hand-set one-unit LSTM that writes, keeps, forgets, reads
plotting       style, colours; plotting.<topic>: each notebook's figures
runtime        setup(): one BLAS thread for small matrices, the plot style
widgets        one-line sliders over the plot functions, for the notebooks
exercises      self-checks for the learner's code
=============  ==============================================================

Conventions: batch first, inputs (N, T, D), states (N, H), hidden sequence
(N, T, H); row vectors (``x @ Wx``); LSTM gates stacked i, f, g, o, GRU gates
r, z, n (PyTorch's orders). Forward returns ``(out, cache)``; backward takes
``(dout, cache)`` and returns one gradient per forward input, in order.
"""

# The one place the version is written: pyproject.toml reads it from here
# (setuptools' dynamic version) and CHANGELOG.md and CITATION.cff repeat it;
# tests/test_version.py keeps the three in step.
__version__ = "0.2.0"

from rnnlib.claims import ClaimError, claim  # noqa: E402
from rnnlib.runtime import blas_threads, setup  # noqa: E402

__all__ = ["ClaimError", "__version__", "blas_threads", "claim", "setup"]
