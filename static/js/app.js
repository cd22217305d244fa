// Confirmation before any state change: <form data-confirm="确定要……吗？">. No inline script anywhere (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // A double click must not submit twice: disable the buttons once the form is on its way.
  if (!event.defaultPrevented) {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
      window.setTimeout(function () { b.disabled = true; }, 0);
    });
  }
});
// A wide table scrolls inside its own box on a narrow screen (390 px, or 200 % zoom), never the whole page
// (WCAG 1.4.10 reflow): every table of the page not yet in a .table-responsive box gets one.
document.querySelectorAll("main table").forEach(function (table) {
  if (table.closest(".table-responsive")) { return; }
  var box = document.createElement("div");
  box.className = "table-responsive";
  table.parentNode.insertBefore(box, table);
  box.appendChild(table);
});
