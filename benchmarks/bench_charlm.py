"""How fast does a character RNN train: one stream (min-char-rnn style) or a batch of streams?

Andrej Karpathy's min-char-rnn (2015) trains a vanilla RNN (H = 100, windows of 25
characters, Adagrad with learning rate 0.1) on one stream of text, with a Python loop
over time steps of vector-matrix products. This script times:

* ``min-char-rnn``: that algorithm written out with numpy in the course's row-vector
  convention, batch 1: :mod:`rnnlib.min_char_rnn` (read it: it is the reference
  loop of notebook 07, section 11), timed by :func:`rnnlib.min_char_rnn.throughput`;
* ``rnnlib``: :class:`rnnlib.models.SequenceModel` with the same hidden size and
  window (an embedding of size 32 instead of the one-hot product) at batch sizes 1,
  8, 32 and 64, through ``model.train`` (forward, BPTT, clipping by norm, Adagrad):
  :func:`rnnlib.lm.training_throughput`.

and reports characters per second of training on data/python-reference.txt, the best
of 3 timings of each (a busy machine slows a timing down, never speeds it up).

Usage::

    python benchmarks/bench_charlm.py              # about 15 s; one BLAS thread
    python benchmarks/bench_charlm.py --threads 0  # BLAS as it likes (one per core)

The numbers depend on the BLAS threads and on anything else running: the load
average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import rnnlib
from rnnlib import min_char_rnn
from rnnlib.data import CharVocab
from rnnlib.lm import training_throughput

CORPUS = Path(__file__).resolve().parent.parent / "data" / "python-reference.txt"
H, SEQ = 100, 25


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS threads; 0 leaves BLAS as it is (default 1)"
    )
    args = parser.parse_args(argv)
    threads = rnnlib.setup(args.threads or None)
    text = CORPUS.read_text(encoding="utf-8")
    vocab = CharVocab(text)
    ids = vocab.encode(text)
    print(f"load average before: {os.getloadavg()[0]:.2f}; BLAS threads: {threads}")
    print(f"vanilla RNN, H = {H}, windows of {SEQ} characters, V = {vocab.size}")
    cps = min_char_rnn.throughput(ids, vocab.size, H, SEQ, steps=200, repeat=3)
    print(f"  min-char-rnn,       batch  1: {cps:9,.0f} characters/s")
    for N in (1, 8, 32, 64):
        steps = 200 if N == 1 else 40
        cps = training_throughput(
            "rnn", H, vocab.size, ids, batch_size=N, seq_len=SEQ, steps=steps, repeat=3
        )
        print(f"  rnnlib,             batch {N:2d}: {cps:9,.0f} characters/s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
