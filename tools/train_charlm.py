"""Train the character models whose weights notebook 07 ships: an LSTM, an RNN and a GRU.

Every model reads data/python-reference.txt (made by tools/make_corpus.py), trains on
its first 90 % with stateful truncated BPTT (rnnlib.data.text_batches, the state
carried from batch to batch), Adam with a cosine-decayed learning rate and gradient
clipping, and is saved with rnnlib.lm.save_charlm as data/charlm-<cell>.npz (float32).
The models see exactly the same batches and have about the same number of parameters:
``--hidden`` is the LSTM's hidden size, and the RNN's and the GRU's are chosen to match
its parameter count as closely as a whole number allows (:func:`matched_hidden`).

At ``--checkpoints`` evenly spaced points of the run (and at the end) the script
measures the validation loss and writes a sample of the model's text (always the same
prompt, temperature and random seed, so only the model changes); both are stored with
the weights, and notebook 07 shows them as "text that improves as you watch".

Usage (the command behind the shipped weights, with its time, is in data/README.md)::

    python tools/train_charlm.py --layers 2 --hidden 256 --dropout 0.5 --steps 1500 --parallel

With ``--parallel`` each cell trains in its own process (one BLAS thread each): the
same results as one after the other (each run is seeded and reads the same batches),
in about a third of the time on a machine with two or more cores.

The script limits BLAS to ``--threads`` threads itself (default 1, through
``rnnlib.blas_threads``, i.e. threadpoolctl, as ``rnnlib.setup()`` does in the
notebooks), so the command needs no environment variable.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import rnnlib
from rnnlib.data import CharVocab, text_batches
from rnnlib.lm import evaluate, sample_text, save_charlm, train_val_split
from rnnlib.models import SequenceModel
from rnnlib.optim import Adam

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "python-reference.txt"
EMBED = 32
#: the prompt, length, temperature and seed of the checkpoint samples
SAMPLE = dict(prompt="The ", n=240, temperature=0.8, seed=0)


def build(cell, hidden, vocab_size, args):
    """The model a run trains (its weights seeded by ``args.seed``)."""
    return SequenceModel(
        vocab_size,
        hidden,
        vocab_size,
        cell=cell,
        embedding=True,
        embed_size=EMBED,
        task="many_to_many",
        loss="cross_entropy",
        forget_bias=1.0,
        seed=args.seed,
        dtype=np.float32,
        num_layers=args.layers,
        dropout=args.dropout,
    )


def param_count(cell, hidden, vocab_size, layers):
    """Parameters of a character model, without building it."""
    G = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    biases = 2 if cell == "gru" else 1
    first = EMBED * G * hidden + hidden * G * hidden + biases * G * hidden
    rest = (layers - 1) * (2 * hidden * G * hidden + biases * G * hidden)
    return vocab_size * EMBED + first + rest + hidden * vocab_size + vocab_size


def matched_hidden(cell, target, vocab_size, layers):
    """The hidden size whose parameter count is closest to ``target``."""
    return min(range(1, 4096), key=lambda h: abs(param_count(cell, h, vocab_size, layers) - target))


def batches_forever(ids, batch_size, seq_len):
    """Epoch after epoch of stateful batches (the state restarts at each epoch)."""
    while True:
        yield from text_batches(ids, batch_size, seq_len)


def train_one(cell, hidden, args):
    """Train one model, measure it at the checkpoints, save it; return its summary."""
    text = CORPUS.read_text(encoding="utf-8")
    vocab = CharVocab(text)
    train_ids, val_ids = train_val_split(vocab.encode(text))
    model = build(cell, hidden, vocab.size, args)
    optimizer = Adam(args.lr)
    every = max(1, args.steps // args.checkpoints)
    checkpoints = []
    start = time.perf_counter()

    def checkpoint(step):
        val = evaluate(model, val_ids)
        sample = sample_text(model, vocab, **SAMPLE)
        checkpoints.append(dict(step=step, val_nats=round(val, 4), sample=sample))
        print(
            f"  {cell} step {step}/{args.steps}: validation {val / math.log(2):.3f} "
            f"bits/char, {time.perf_counter() - start:.0f} s",
            flush=True,
        )

    def callback(step, loss, model):
        # cosine decay from lr to lr/10 over the run
        frac = (step + 1) / args.steps
        optimizer.lr = args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        if (step + 1) % every == 0 and step + 1 < args.steps:
            checkpoint(step + 1)

    with rnnlib.blas_threads(args.threads):
        checkpoint(0)
        batches = batches_forever(train_ids, args.batch_size, args.seq_len)
        history = model.train(
            batches,
            optimizer,
            steps=args.steps,
            clip=args.clip,
            callback=callback,
            carry_state=True,
        )
        seconds = time.perf_counter() - start
        checkpoint(args.steps)
    val = checkpoints[-1]["val_nats"]
    print(
        f"{cell}: {model.param_count():,} parameters, {seconds:.0f} s, validation "
        f"{val / math.log(2):.3f} bits/char",
        flush=True,
    )
    info = dict(
        command="python tools/train_charlm.py " + " ".join(args.argv),
        blas_threads=args.threads,
        cell=cell,
        hidden_size=hidden,
        num_layers=args.layers,
        dropout=args.dropout,
        embed_size=EMBED,
        steps=args.steps,
        batch_size=args.batch_size,
        seq_len=args.seq_len,
        lr=args.lr,
        clip=args.clip,
        seed=args.seed,
        seconds=round(seconds),
        python_corpus=CORPUS.name,
        val_nats=val,
        sample_settings=SAMPLE,
        checkpoints=checkpoints,
        # the training loss of every step, rounded: the notebook plots the long run
        loss=[round(float(x), 4) for x in history["loss"]],
    )
    save_charlm(args.out / f"charlm-{cell}.npz", model, vocab, info)
    return cell, model.param_count(), seconds, val


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--clip", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=256, help="the LSTM's hidden size")
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--checkpoints", type=int, default=10)
    parser.add_argument("--cells", default="lstm,rnn,gru")
    parser.add_argument("--parallel", action="store_true", help="one process per cell")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads per model (default 1: fastest for these small matrices)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if "--out" in args.argv:  # where the files go changes nothing in them: not stored
        k = args.argv.index("--out")
        del args.argv[k : k + 2]
    if args.threads < 1:
        parser.error(f"--threads must be a positive int, got {args.threads}")
    args.out.mkdir(parents=True, exist_ok=True)
    vocab_size = CharVocab(CORPUS.read_text(encoding="utf-8")).size
    target = param_count("lstm", args.hidden, vocab_size, args.layers)
    cells = args.cells.split(",")
    sizes = {c: matched_hidden(c, target, vocab_size, args.layers) for c in cells}
    start = time.perf_counter()
    if args.parallel:
        with ProcessPoolExecutor(len(cells)) as pool:
            futures = [pool.submit(train_one, c, sizes[c], args) for c in cells]
            results = [f.result() for f in futures]
    else:
        results = [train_one(c, sizes[c], args) for c in cells]
    for cell, count, seconds, val in results:
        print(
            f"{cell}: H = {sizes[cell]}, {count:,} parameters, {seconds / 60:.1f} min, "
            f"validation {val / math.log(2):.3f} bits/char"
        )
    print(f"wall time {(time.perf_counter() - start) / 60:.1f} min")


if __name__ == "__main__":
    main()
