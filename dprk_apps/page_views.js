// PageViews (dprk_apps/page_views.py): tells the kernel that a page has drawn the app.
// A kernel warmed before anyone opened the page (a Voila pool) built its app long before; on this signal
// the app reads again what it shows from the server's disk (the role-play: the games that saved themselves).
// It sends one number, how many times the app was drawn, and nothing from the page.
function render({ model, el }) {
  el.style.display = 'none';
  model.set('views', (model.get('views') || 0) + 1);
  model.save_changes();
}

export default { render };
