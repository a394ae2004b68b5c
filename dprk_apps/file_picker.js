// FilePicker (dprk_apps/file_picker.py): a button that opens the browser's file dialogue and sends the chosen
// file to the kernel. Unlike ipywidgets' FileUpload it shows no count of files beside its label. A file larger
// than max_bytes is not read: only its name and size go to the kernel, which says it is too large.
function render({ model, el }) {
  const page = el.ownerDocument;
  const input = page.createElement('input');
  input.type = 'file';
  input.hidden = true;
  const button = page.createElement('button');
  button.className = 'jupyter-button widget-button file-picker-button';
  const icon = page.createElement('i');
  icon.className = 'fa fa-upload';
  const label = page.createElement('span');
  button.append(icon, label);
  const show = () => {
    label.textContent = model.get('description');
    button.title = model.get('tooltip');
    button.disabled = model.get('disabled');
    input.accept = model.get('accept');
  };
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.value = ''; // the same file can be chosen again
    if (!file) return;
    const about = { kind: 'file', name: file.name, size: file.size };
    if (file.size > model.get('max_bytes')) {
      model.send(about);
      return;
    }
    const content = await file.arrayBuffer();
    model.send(about, undefined, [content]);
  });
  for (const name of ['description', 'tooltip', 'disabled', 'accept']) model.on(`change:${name}`, show);
  show();
  el.classList.add('file-picker');
  el.append(button, input);
}
export default { render };
