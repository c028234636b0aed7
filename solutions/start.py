"""Reference solutions to the exercises of notebook 00 (Start here)."""

__all__ = ["PULSE_STEPS", "SHAPES", "tanh_deriv"]


def tanh_deriv(y):
    """Derivative of tanh from its output: ``1 - y**2`` where ``y = tanh(a)``."""
    return 1 - y**2


#: Shapes for N = 4, T = 25, D = 3, H = 16, V = 10 (exercises.SHAPE_PROBLEM).
SHAPES = {
    "Wx": (3, 16),
    "Wh": (16, 16),
    "b": (16,),
    "h": (4, 25, 16),
    "h_last": (4, 16),
    "Wy": (16, 10),
    "logits": (4, 25, 10),
}

#: With w = 0.9 the one-unit RNN's |h_t| first drops below 0.1 at this step.
PULSE_STEPS = 16
