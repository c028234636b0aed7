"""One-line widgets for the notebooks: ``widgets.hidden_state_explorer()``.

Each widget is ``ipywidgets.interactive`` (or a small box of controls) over a
pure plot function of :mod:`rnnlib.plotting` with the same topic name; that
function also draws the static figure placed just before the widget. This
package holds only the controls. Modules follow the notebooks:

start (00), recurrence (01), chain_rule (02), bptt (03), vanishing (04),
lstm (05), memory (06), charlm (07), gru (08), attention (09, imported as
``rnnlib.widgets.attention``).
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
