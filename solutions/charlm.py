"""Reference solutions to the exercises of notebook 07 (character-level language model)."""

from __future__ import annotations

import numpy as np

__all__ = ["bits_and_perplexity", "initial_loss", "softmax_temperature"]


def softmax_temperature(logits, temperature):
    """``softmax(logits / temperature)``, safe for huge logits and tiny temperatures.

    Subtracting the largest logit first changes nothing mathematically (it cancels
    in the normalisation) and keeps every exponent <= 0, so nothing overflows.
    """
    z = (logits - np.max(logits)) / temperature
    p = np.exp(z)
    return p / p.sum()


def bits_and_perplexity(loss_nats):
    """Bits per character and perplexity from a mean cross-entropy in nats."""
    bits = loss_nats / np.log(2)
    return bits, np.exp(loss_nats)  # exp(nats) == 2 ** bits


def initial_loss(vocab_size):
    """The loss of a model that predicts every character with probability 1/V."""
    return float(np.log(vocab_size))
