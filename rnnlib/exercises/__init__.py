"""Self-checks for the exercises: ``exercises.check_rnn_step_forward(my_fn)``.

Every checker prints ``not attempted yet``, ``PASS`` (with the relative error
and the tolerance) or ``FAIL`` (with a hint), never raises, and returns a
:class:`CheckResult`. Reference solutions live in ``solutions/`` at the root
of the repository; ``tests/`` runs every checker against them and against a
deliberately wrong answer. Modules follow the notebooks:

start (00), recurrence (01), chain_rule (02), bptt (03), vanishing (04),
lstm (05), memory (06), charlm (07), gru (08), attention (09).
"""

from ._core import *  # noqa: F403
from .attention import *  # noqa: F403
from .bptt import *  # noqa: F403
from .chain_rule import *  # noqa: F403
from .charlm import *  # noqa: F403
from .gru import *  # noqa: F403
from .lstm import *  # noqa: F403
from .memory import *  # noqa: F403
from .recurrence import *  # noqa: F403
from .start import *  # noqa: F403
from .vanishing import *  # noqa: F403
