// ControlKeys (dprk_apps/keyboard.py): keys pressed on an app's controls reach the controls in every front end.
// JupyterLab and Notebook 7 (Lumino's command registry) skip elements marked with ATTRIBUTE for their shortcuts.
const ATTRIBUTE = 'data-lm-suppress-shortcuts';
// The controls that handle keys themselves: slider handles, choices, switches, buttons.
const TAKES_KEYS = '.noUi-handle, select, button, input[type=checkbox], input[type=range]';
// What counts as an app on the page: the lab-style apps' columns and the role-play.
const APP_SCOPE = '.app-columns, .roleplay-app';

function markFocused(event) {
  const target = event.target;
  if (!(target instanceof Element) || target.hasAttribute(ATTRIBUTE)) return;
  if (target.matches(TAKES_KEYS) && target.closest(APP_SCOPE)) target.setAttribute(ATTRIBUTE, 'true');
}

function render({ el }) {
  const page = el.ownerDocument;
  el.dataset.controlKeys = 'ready';
  if (page.__appControlKeys) return;  // one listener per page, however many apps it shows
  page.__appControlKeys = true;
  // Focus moves before the first key press reaches the control: mark it on the way in (capture phase,
  // so that no front end's handler can stop it first).
  page.addEventListener('focusin', markFocused, true);
}
export default { render };
