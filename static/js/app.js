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
