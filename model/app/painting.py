"""The page's half of an app figure's frames, made cheaper than ipympl's own: :class:`FramePainter`.

For every frame the kernel sends, ipympl 0.10's page first copies its whole canvas into a PNG data URL
(``toDataURL``, kept in the widget's state so that a saved notebook shows the last picture), then loads
the frame through a blob URL into an image element, which the page's main thread decodes before it paints
the frame. In a JavaScript profile of the scenario lab's page (2026-12-07) that copy was the largest
single cost of a move on the page. :class:`FramePainter` is a small widget beside the figure that, once its
page has both, replaces that one step of the figure's page model (``handle_binary``): the frame is decoded
off the main thread (``createImageBitmap``) and painted on ipympl's canvas in the order the frames came,
and the data URL is made once the figure has rested for :data:`KEEP_PICTURE_AFTER_MS`, not on every frame.
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
#: frame first (:meth:`model.app.base.SliderApp.update`). A measurement: the painter's frames were on
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
  figure.handle_binary = function (message, buffers) {
    const data = buffers[0];
    const png = new Blob([ArrayBuffer.isView(data) ? data : new Uint8Array(data)], {type: 'image/png'});
    const whole = this.get('_image_mode') === 'full';  // else a diff frame: unchanged pixels transparent
    this.waiting_for_image = false;
    queue = queue
      .then(() => createImageBitmap(png))
      .then(bitmap => {
        const context = this.offscreen_context;
        if (whole) context.clearRect(0, 0, this.offscreen_canvas.width, this.offscreen_canvas.height);
        context.drawImage(bitmap, 0, 0);
        bitmap.close();
        this._for_each_view(view => view.update_canvas());
        clearTimeout(keepTimer);
        keepTimer = setTimeout(keepPicture, KEEP_PICTURE_AFTER_MS);
      })
      .catch(error => console.warn('figure frame not painted:', error));
  };
  // ipympl paints its last frame again after a resize from its image element, which these frames no
  // longer pass through: keep the picture as it was before the canvas is cleared by its new size.
  const resizeCanvas = figure.resize_canvas.bind(figure);
  figure.resize_canvas = function () {
    const before = document.createElement('canvas');
    before.width = this.offscreen_canvas.width;
    before.height = this.offscreen_canvas.height;
    if (before.width > 0 && before.height > 0) before.getContext('2d').drawImage(this.offscreen_canvas, 0, 0);
    resizeCanvas();
    this.image = before;
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


__all__ = ["KEEP_PICTURE_AFTER_MS", "NUMBERS_AFTER_FRAME_S", "FramePainter"]
