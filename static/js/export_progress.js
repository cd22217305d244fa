// Polls an export job's status and fills the progress bar; no inline script (CSP).
(function () {
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var bar = document.getElementById("export-bar");
  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", percent);
  }
  show(parseInt(bar.getAttribute("data-percent"), 10) || 0);
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        show(data.percent);
        document.getElementById("export-status").textContent = data.status_display;
        // Rows are counted only while the file is being written; once done the status says so alone.
        document.getElementById("export-rows").textContent =
          data.status === "running" && data.total ? "（" + data.progress + " / " + data.total + " 行）" : "";
        if (data.status === "done") {
          document.getElementById("export-download").classList.remove("d-none");
        } else if (data.status !== "failed") {
          window.setTimeout(poll, 1000);
        }
      });
  }
  if (box.getAttribute("data-status") !== "done" && box.getAttribute("data-status") !== "failed") { poll(); }
})();
