"""What the widget tests share: does a widget show what a full draw of its figure shows?"""

import io

import numpy as np


def shows_a_full_draw(live):
    """Whether the PNG a :class:`rnnlib.widgets.LiveFigure` shows has exactly the pixels of
    a full draw of its figure (the changed artists drawn in place, z-order and all).

    The artists kept out of the background are drawn with the rest for the comparison and
    then set apart again, so the widget can go on moving.
    """
    from PIL import Image

    shown = np.asarray(Image.open(io.BytesIO(live.image.value)).convert("RGB"))
    animated = live.fig.findobj(lambda a: a.get_animated())
    for artist in animated:
        artist.set_animated(False)
    live.fig.canvas.draw()
    for artist in animated:
        artist.set_animated(True)
    return np.array_equal(shown, np.asarray(live.fig.canvas.buffer_rgba())[..., :3])
