/* 实名制用工: 长期 disables the end date; the import page follows its job. */
(function () {
  "use strict";

  function setupLongTerm() {
    var box = document.getElementById("id_id_long_term");
    var date = document.getElementById("id_id_valid_until");
    if (!box || !date) { return; }
    function sync() { date.disabled = box.checked; if (box.checked) { date.value = ""; } }
    box.addEventListener("change", sync);
    sync();
  }

  function followImport() {
    var card = document.getElementById("import-job");
    if (!card || !card.dataset.busy) { return; }
    var bar = document.getElementById("job-progress");
    var percent = document.getElementById("job-percent");
    var checked = document.getElementById("job-checked");
    var total = document.getElementById("job-total");
    function poll() {
      fetch(card.dataset.statusUrl, {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!data.busy) { window.location.reload(); return; }
          if (bar) { bar.value = data.percent; }
          if (percent) { percent.textContent = data.percent + "%"; }
          if (checked) { checked.textContent = data.checked; }
          if (total && data.total) { total.textContent = data.total; }
          setTimeout(poll, 1500);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupLongTerm(); followImport();
  });
})();
