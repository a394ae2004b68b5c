// HandinLink (dprk_apps/handin.py): the page's half of "Hand in". The kernel gives a hand-in document
// (scenario code, name, sentence) and raises `sequence`; this delivers it once and reports back.
// Under ./suite class the page posts it to the class server with the student's own session cookie and
// the page's _xsrf token: the kernel never learns the class code, the cookie or the server. Anywhere else
// (plain Voila, JupyterLab, Notebook 7, a JupyterHub) there is no class server and the document is
// downloaded as a JSON file for the student to hand in by the course's usual means.
const API = 'classroom/api/handins';

function baseUrl(page) {
  const data = page.getElementById('jupyter-config-data');
  try {
    const base = JSON.parse(data ? data.textContent : '{}').baseUrl || '/';
    return base.endsWith('/') ? base : `${base}/`;
  } catch (error) {
    return '/';
  }
}

function cookie(page, name) {
  const found = page.cookie.split('; ').find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
}

// The class server answers GET with the student's own hand-ins and the cap; any other server does not.
async function classServer(page) {
  try {
    const answer = await fetch(baseUrl(page) + API, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!answer.ok) return false;
    const body = await answer.json();
    return typeof body.cap === 'number';
  } catch (error) {
    return false;
  }
}

function download(page, text, filename) {
  const blob = new Blob([text], { type: 'application/json' });
  const address = page.defaultView.URL.createObjectURL(blob);
  const anchor = page.createElement('a');
  anchor.href = address;
  anchor.download = filename;
  anchor.style.display = 'none';
  page.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => page.defaultView.URL.revokeObjectURL(address), 10000);
}

async function deliver(model, page) {
  const sequence = model.get('sequence');
  let outcome;
  try {
    if (await classServer(page)) {
      const answer = await fetch(baseUrl(page) + API, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-XSRFToken': cookie(page, '_xsrf') },
        body: model.get('document'),
      });
      let body = {};
      try {
        body = await answer.json();
      } catch (error) {
        body = { message: `HTTP ${answer.status}` };
      }
      outcome = answer.status === 201
        ? { status: 'stored', left: body.left }
        : { status: 'refused', message: String(body.message || `HTTP ${answer.status}`), left: body.left };
    } else {
      download(page, model.get('document'), model.get('filename'));
      outcome = { status: 'file' };
    }
  } catch (error) {
    outcome = { status: 'failed', message: String(error) };
  }
  model.set('outcome', JSON.stringify({ sequence, ...outcome }));
  model.save_changes();
}

// Once per widget (not once per view): a hand-in is delivered once however often the widget is shown.
function initialize({ model }) {
  model.on('change:sequence', () => deliver(model, document));
}

function render({ el }) {
  el.classList.add('handin-link');
  el.dataset.ready = 'true';
}
export default { initialize, render };
