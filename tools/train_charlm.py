"""Train the character models whose weights notebook 07 ships: an LSTM and an RNN.

Both read data/python-reference.txt (made by tools/make_corpus.py), train on its
first 90 % with stateful truncated BPTT (rnnlib.data.text_batches, the state carried
from batch to batch), Adam with a cosine-decayed learning rate and gradient clipping,
and are saved with rnnlib.lm.save_charlm as data/charlm-lstm.npz and
data/charlm-rnn.npz (float32, together under 2 MB). The two models have about the
same number of parameters and see exactly the same batches.

Usage (the command behind the shipped weights is in data/README.md)::

    python tools/train_charlm.py --steps 1000

The script limits BLAS to one thread itself (``--threads``, through
``rnnlib.blas_threads``, i.e. threadpoolctl, as ``rnnlib.setup()`` does in the
notebooks), so the command needs no environment variable: one thread is the fastest
setting for these small matrices, and by far the fastest on a machine that is busy
with other work. The shipped weights were made with the same single thread, set at the
time by an environment variable: the command stored in the files reads
``OPENBLAS_NUM_THREADS=1 python tools/train_charlm.py --steps 1000``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

import rnnlib
from rnnlib.data import CharVocab, text_batches
from rnnlib.lm import evaluate, save_charlm, train_val_split
from rnnlib.models import SequenceModel
from rnnlib.optim import Adam

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "python-reference.txt"
#: hidden sizes chosen so that both models have about 195 000 parameters
SIZES = {"lstm": 192, "rnn": 380}
EMBED = 32


def batches_forever(ids, batch_size, seq_len):
    """Epoch after epoch of stateful batches (the state restarts at each epoch)."""
    while True:
        yield from text_batches(ids, batch_size, seq_len)


def train_one(cell, train_ids, val_ids, vocab, args):
    model = SequenceModel(
        vocab.size,
        SIZES[cell],
        vocab.size,
        cell=cell,
        embedding=True,
        embed_size=EMBED,
        task="many_to_many",
        loss="cross_entropy",
        forget_bias=1.0,
        seed=args.seed,
        dtype=np.float32,
    )
    optimizer = Adam(args.lr)
    start = time.perf_counter()

    def callback(step, loss, model):
        # cosine decay from lr to lr/10 over the run
        frac = (step + 1) / args.steps
        optimizer.lr = args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        if (step + 1) % 100 == 0:
            print(
                f"  {cell} step {step + 1}/{args.steps}: loss {loss / math.log(2):.3f} "
                f"bits/char, {time.perf_counter() - start:.0f} s",
                flush=True,
            )

    batches = batches_forever(train_ids, args.batch_size, args.seq_len)
    history = model.train(
        batches, optimizer, steps=args.steps, clip=args.clip, callback=callback, carry_state=True
    )
    seconds = time.perf_counter() - start
    val = evaluate(model, val_ids)
    print(
        f"{cell}: {model.param_count():,} parameters, {seconds:.0f} s, validation "
        f"{val / math.log(2):.3f} bits/char",
        flush=True,
    )
    info = dict(
        command="python tools/train_charlm.py " + " ".join(sys.argv[1:]),
        blas_threads=args.threads,
        cell=cell,
        hidden_size=SIZES[cell],
        embed_size=EMBED,
        steps=args.steps,
        batch_size=args.batch_size,
        seq_len=args.seq_len,
        lr=args.lr,
        clip=args.clip,
        seed=args.seed,
        seconds=round(seconds),
        python_corpus=CORPUS.name,
        val_nats=round(val, 4),
        # the training loss of every step, rounded: the notebook plots the long run
        loss=[round(float(x), 4) for x in history["loss"]],
    )
    save_charlm(args.out / f"charlm-{cell}.npz", model, vocab, info)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seq-len", type=int, default=64)
    parser.add_argument("--lr", type=float, default=5e-3)
    parser.add_argument("--clip", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cells", default="lstm,rnn")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads (default 1: fastest for these small matrices)",
    )
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error(f"--threads must be a positive int, got {args.threads}")
    text = CORPUS.read_text(encoding="utf-8")
    vocab = CharVocab(text)
    train_ids, val_ids = train_val_split(vocab.encode(text))
    total = 0.0
    with rnnlib.blas_threads(args.threads):
        for cell in args.cells.split(","):
            total += train_one(cell, train_ids, val_ids, vocab, args)
    print(f"total training time {total / 60:.1f} min")


if __name__ == "__main__":
    main()
