"""One-line widgets for the notebooks: ``widgets.hidden_state_explorer()``.

Each widget is ``ipywidgets.interactive`` over a pure plot function of the
same topic module; that function also draws the static figure placed just
before the widget. Modules follow the notebooks:

start (00), recurrence (01), chain_rule (02), bptt (03), vanishing (04),
lstm (05), memory (06), charlm (07), gru (08).
"""

from ._core import *  # noqa: F403
from .bptt import *  # noqa: F403
from .chain_rule import *  # noqa: F403
from .charlm import *  # noqa: F403
from .gru import *  # noqa: F403
from .lstm import *  # noqa: F403
from .memory import *  # noqa: F403
from .recurrence import *  # noqa: F403
from .start import *  # noqa: F403
from .vanishing import *  # noqa: F403
