"""The page's half of an app figure's frames, made cheaper than ipympl's own: :class:`FramePainter`.

For every frame the kernel sends, ipympl 0.10's page first copies its whole canvas into a PNG data URL
(``toDataURL``, kept in the widget's state so that a saved notebook shows the last picture), then loads
the frame through a blob URL into an image element, which the page's main thread decodes before it paints
the frame. In a JavaScript profile of the scenario lab's page (2026-12-07) that copy was the largest
single cost of a move on the page. :class:`FramePainter` is a small widget beside the figure that, once its
page has both, replaces that one step of the figure's page model (``handle_binary``): the frame is decoded
off the main thread (``createImageBitmap``) and painted over ipympl's canvas in the order the frames came
(so only for opaque figures, :func:`paints_over`: a whole frame then covers the canvas), and the data URL
is made once the figure has rested for :data:`KEEP_PICTURE_AFTER_MS`, not on every frame.
Everything else (the canvas, its views, high-density screens, resizing, the toolbar's download) stays
ipympl's. A page whose ipympl lacks what the painter replaces keeps ipympl's own painting.
``bench/frame_view_bench.py`` times a page with and without the painter in turns.
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

#: How long (ms) the figure must rest before the page keeps its picture as a data URL (what a saved
#: notebook's widget state shows). An assumption: longer than the pause between the steps of a slider
#: dragged or of a key held down, so that the copy (several ms on the main thread) never delays a move.
KEEP_PICTURE_AFTER_MS = 1000
#: How long (s) after a move an app sends its readout's new numbers, so that the page paints the new
#: frame first (:meth:`dprk_apps.base.SliderApp.update`). A measurement: the painter's frames were on
#: the lab's canvas 2-4 ms after they arrived when nothing else was due, and the table's update arrived
#: 1-2 ms after the frame and delayed the paint by about 6 ms (page timeline and
#: ``bench/frame_view_bench.py``, 2026-12-07); 20 ms leaves room for a slower page, and a table that
#: follows its figure by 20 ms is not seen as late.
NUMBERS_AFTER_FRAME_S = 0.020

_PAINT_JS = """
const KEEP_PICTURE_AFTER_MS = KEEP_PICTURE_AFTER_MS_VALUE;

function paintFast(figure) {
  // ipympl 0.10's page model: what the frames below read and write (see ipympl's mpl_widget.ts).
  if (figure.__fastFrames) return true;  // another view of the same figure installed it
  const needed = ['handle_binary', 'resize_canvas', '_for_each_view'];
  if (!needed.every(name => typeof figure[name] === 'function')) return false;
  if (!figure.offscreen_canvas || !figure.offscreen_context || typeof createImageBitmap !== 'function') return false;
  figure.__fastFrames = true;
  let queue = Promise.resolve();  // frames are painted in the order they came
  let keepTimer = null;
  const keepPicture = () => {
    keepTimer = null;
    figure.set('_data_url', figure.offscreen_canvas.toDataURL());
  };
  const showCanvas = () => {
    figure._for_each_view(view => view.update_canvas());
    clearTimeout(keepTimer);
    keepTimer = setTimeout(keepPicture, KEEP_PICTURE_AFTER_MS);
  };
  // ipympl's image element: the last picture it loaded itself (the saved data URL or a frame), which may
  // still be loading (in JupyterLab's Run All frames arrive while the page is being built). Its own handler
  // would paint it whenever it loads, over later frames: it is painted first in this queue instead, over
  // what the canvas shows (a whole frame covers it all, a diff frame its changes).
  const earlier = figure.image;
  if (earlier) {
    earlier.onload = null;
    if (earlier.src) {
      queue = earlier.decode().then(() => {
        figure.offscreen_context.drawImage(earlier, 0, 0);
        showCanvas();
      }).catch(() => {});  // nothing was loading: nothing to paint
    }
  }
  // What ipympl paints again after a resize: the picture as it was before the new size cleared the canvas.
  const before = document.createElement('canvas');
  figure.image = before;
  const resizeCanvas = figure.resize_canvas.bind(figure);
  figure.resize_canvas = function () {
    before.width = this.offscreen_canvas.width;
    before.height = this.offscreen_canvas.height;
    if (before.width > 0 && before.height > 0) before.getContext('2d').drawImage(this.offscreen_canvas, 0, 0);
    resizeCanvas();
  };
  figure.handle_binary = function (message, buffers) {
    const data = buffers[0];
    const png = new Blob([ArrayBuffer.isView(data) ? data : new Uint8Array(data)], {type: 'image/png'});
    this.waiting_for_image = false;
    queue = queue
      .then(() => createImageBitmap(png))
      .then(bitmap => {
        // Over what the canvas shows: a whole frame of an opaque figure covers it all, a diff frame (unchanged
        // pixels transparent) its changes. Not by the frame's mode, as ipympl does: the page may apply the
        // model's change of mode after the frame it belongs to (seen in JupyterLab's Run All).
        this.offscreen_context.drawImage(bitmap, 0, 0);
        bitmap.close();
        showCanvas();
      })
      .catch(error => console.warn('figure frame not painted:', error));
  };
  return true;
}

async function render({ model, el }) {
  // What paints the figure's frames, for whoever looks (tests): 'fast' (this widget) or 'ipympl'.
  el.dataset.painting = 'ipympl';
  const reference = model.get('figure');
  if (!reference || !model.widget_manager) return;
  try {
    const figure = await model.widget_manager.get_model(reference.replace(/^IPY_MODEL_/, ''));
    if (paintFast(figure)) el.dataset.painting = 'fast';
  } catch (error) {
    console.warn('figure painter not installed:', error);  // ipympl's own painting goes on
  }
}
export default { render };
""".replace("KEEP_PICTURE_AFTER_MS_VALUE", str(KEEP_PICTURE_AFTER_MS))


def paints_over(figure) -> bool:
    """Whether a :class:`FramePainter` may paint ``figure``'s frames: its background is opaque.

    The painter paints every frame over the canvas, so a whole frame must cover every pixel; a figure
    with a transparent or see-through background keeps ipympl's painting.

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    bool
    """
    return bool(figure.patch.get_visible()) and float(figure.patch.get_facecolor()[3]) == 1.0


class FramePainter(anywidget.AnyWidget):
    """Paints the frames of an ipympl figure on its page off the main thread; shows nothing itself.

    Put it anywhere on the page of the figure (an app puts it in its results column).

    Parameters
    ----------
    figure : ipywidgets.DOMWidget
        The figure's canvas widget (``figure.canvas`` with ipympl's backend).
    """

    _esm = traitlets.Unicode(_PAINT_JS).tag(sync=True)
    figure = traitlets.Instance(widgets.DOMWidget).tag(sync=True, **widgets.widget_serialization)

    def __init__(self, figure: widgets.DOMWidget, **kwargs) -> None:
        super().__init__(figure=figure, **kwargs)
        self.layout.height = "0px"
        self.layout.margin = "0px"
        self.add_class("frame-painter")


__all__ = ["KEEP_PICTURE_AFTER_MS", "NUMBERS_AFTER_FRAME_S", "FramePainter", "paints_over"]
