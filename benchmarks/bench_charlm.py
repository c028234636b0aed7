"""How fast does a character RNN train: one stream (min-char-rnn style) or a batch of streams?

Andrej Karpathy's min-char-rnn (2015) trains a vanilla RNN (H = 100, windows of 25
characters, Adagrad with learning rate 0.1) on one stream of text, with a Python loop
over time steps of vector-matrix products. This script times:

* ``min-char-rnn style``: that algorithm written out with numpy in the course's
  row-vector convention (one-hot inputs, forward, BPTT, clipping each gradient to
  [-5, 5], Adagrad), batch 1: :func:`rnnlib.widgets.min_char_rnn_throughput`;
* ``rnnlib``: :class:`rnnlib.models.SequenceModel` with the same hidden size and
  window (an embedding of size 32 instead of the one-hot product) at batch sizes 1,
  8, 32 and 64, through ``model.train`` (forward, BPTT, clipping by norm, Adagrad).

and reports characters per second of training on data/python-reference.txt.

Usage::

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_charlm.py     # about 20 s

The numbers depend on the BLAS threads and on anything else running: the load
average is printed before and after.
"""

from __future__ import annotations

import os
from pathlib import Path

from rnnlib.data import CharVocab
from rnnlib.widgets.charlm import min_char_rnn_throughput, throughput

CORPUS = Path(__file__).resolve().parent.parent / "data" / "python-reference.txt"
H, SEQ = 100, 25


def main():
    text = CORPUS.read_text(encoding="utf-8")
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    print(f"load average before: {os.getloadavg()[0]:.2f}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"vanilla RNN, H = {H}, windows of {SEQ} characters, V = {vocab.size}")
    cps = min_char_rnn_throughput(ids, vocab.size, H, SEQ, steps=200)
    print(f"  min-char-rnn style, batch  1: {cps:9,.0f} characters/s")
    for N in (1, 8, 32, 64):
        steps = 200 if N == 1 else 40
        cps = throughput("rnn", H, vocab.size, ids, batch_size=N, seq_len=SEQ, steps=steps)
        print(f"  rnnlib,             batch {N:2d}: {cps:9,.0f} characters/s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
