// The download links' inline handler (dprk_apps/exports.py): runs in the browser when the links are shown (an
// image that fails to load runs its onerror; a widget's HTML runs no <script>). Each link's data address becomes
// a Blob address (data addresses above about 2 MB are refused by Chromium), then it is clicked once. The batch's
// id is remembered in localStorage, so showing the page again (a reload in JupyterLab restores the widget)
// downloads nothing. An inline handler sees document's properties first (URL there is a string): window.URL.
// Comment lines (//) are dropped and the rest joined into one line when the file is read.
var box = this.parentNode, id = box.getAttribute('data-batch');
try { if (localStorage.getItem(id)) return; localStorage.setItem(id, '1'); } catch (e) {}
box.querySelectorAll('a[download]').forEach(function (a) {
  var h = a.getAttribute('href'), k = h.indexOf(',');
  if (h.slice(0, 5) === 'data:') {
    var b = atob(h.slice(k + 1)), u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) u[i] = b.charCodeAt(i);
    a.href = window.URL.createObjectURL(new Blob([u], {type: h.slice(5, h.indexOf(';'))}));
  }
  a.click();
});
