// ScenarioLink (dprk_apps/sharing.py): the page's half of "a scenario in a link".
// It reads ONE thing from the page's address, the scenario code in ?s=, and sends only that to the kernel:
// the class code and every other query parameter stay in the browser. It shows the current state's link
// and copies it. In JupyterLab the address bar shows the lab, not the notebook's link: the navigation
// entry keeps the address the page was opened with.
const CODE = /^[0-9A-Za-z-]{6,2000}$/;

function openedWith(page) {
  const entry = (page.defaultView.performance.getEntriesByType('navigation') || [])[0];
  const address = new URL(entry && entry.name ? entry.name : page.location.href);
  const here = new URL(page.location.href);
  return here.searchParams.has('s') ? here : address;
}

function linkFor(page, code) {
  const address = new URL(page.location.href);
  return `${address.origin}${address.pathname}?s=${encodeURIComponent(code)}`;
}

function render({ model, el }) {
  const page = el.ownerDocument;
  const requested = openedWith(page).searchParams.get('s') || '';
  if (CODE.test(requested) && !model.get('requested')) {
    model.set('requested', requested);
    model.save_changes();
  }
  const field = page.createElement('input');
  field.type = 'text';
  field.readOnly = true;
  field.className = 'scenario-link-text';
  field.setAttribute('aria-label', model.get('field_label'));
  const button = page.createElement('button');
  button.className = 'jupyter-button scenario-link-copy';
  button.textContent = model.get('button_label');
  const note = page.createElement('span');
  note.className = 'scenario-link-note';
  const show = () => {
    const code = model.get('code');
    field.value = code ? linkFor(page, code) : '';
    el.dataset.link = field.value;
  };
  button.addEventListener('click', async () => {
    field.select();
    try {
      await page.defaultView.navigator.clipboard.writeText(field.value);
      note.textContent = model.get('copied_label');
    } catch (error) {
      // No clipboard (a plain-http class server on the LAN): the link is selected for Ctrl+C.
      note.textContent = model.get('select_label');
    }
  });
  model.on('change:code', show);
  show();
  el.classList.add('scenario-link');
  el.append(button, field, note);
  el.dataset.ready = 'true';
}
export default { render };
