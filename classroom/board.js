// The lecturer's board (classroom/board.py): sort the table by any heading. A first click sorts
// descending (largest first), the next ascending. Numbers sort by their exact value (data-value),
// text by the words shown. The presets' rows stay below the hand-ins.
(function () {
  var table = document.getElementById('board');
  if (!table) return;
  var body = table.tBodies[0];
  var order = {};
  function key(row, column) {
    var cell = row.cells[column];
    var value = cell.getAttribute('data-value');
    return value === null ? cell.textContent.toLowerCase() : parseFloat(value);
  }
  table.querySelectorAll('button.sort').forEach(function (button) {
    button.addEventListener('click', function () {
      var column = parseInt(button.getAttribute('data-column'), 10);
      var descending = !order[column];
      order = {};
      order[column] = descending;
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var presetA = a.classList.contains('preset'), presetB = b.classList.contains('preset');
        if (presetA !== presetB) return presetA ? 1 : -1;
        var x = key(a, column), y = key(b, column);
        var sign = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -sign : sign;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      table.setAttribute('data-sorted', column + (descending ? ':desc' : ':asc'));
    });
  });
  table.setAttribute('data-ready', 'true');
})();
