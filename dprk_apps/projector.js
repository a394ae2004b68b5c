// ProjectorSwitch (dprk_apps/projector.py): the page's half of the projector view's switch.
// A visible button that turns the view on and off, and ONE thing read from the page's address: ?projector=1
// (or =0) turns it on (off) when the page opens. Nothing else of the address reaches the kernel. In
// JupyterLab the address bar shows the lab: the navigation entry keeps the address the page was opened with.
function openedWith(page) {
  const entry = (page.defaultView.performance.getEntriesByType('navigation') || [])[0];
  const here = new URL(page.location.href);
  if (here.searchParams.has('projector')) return here;
  return new URL(entry && entry.name ? entry.name : page.location.href);
}

function render({ model, el }) {
  const page = el.ownerDocument;
  const asked = openedWith(page).searchParams.get('projector');
  if ((asked === '1' || asked === '0') && !model.get('from_address')) {
    model.set('from_address', true);
    model.set('on', asked === '1');
    model.save_changes();
  }
  const button = page.createElement('button');
  button.className = 'jupyter-button projector-switch-button';
  const show = () => {
    const on = model.get('on');
    button.textContent = on ? model.get('on_label') : model.get('off_label');
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.title = model.get('hint');
    el.dataset.on = on ? 'true' : 'false';
  };
  button.addEventListener('click', () => {
    model.set('on', !model.get('on'));
    model.save_changes();
  });
  model.on('change:on', show);
  show();
  el.classList.add('projector-switch');
  el.append(button);
}
export default { render };
