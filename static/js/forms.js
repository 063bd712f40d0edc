// After a failed submit, start keyboard and screen reader users where the problem is told:
// the error summary (ala_site/_error_summary.html) or, on a one-field form, the field itself.
// Without this file the summary is still first in <main> and has role="alert".
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  const target = summary || document.querySelector("[data-focus-on-load]");
  if (target) target.focus();
  if (!summary) return;

  // A summary link moves focus to its field, with the field's label (or its group's legend) in
  // view: following the link alone would scroll the bare input to the top edge, label above it.
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    const legend = field.type === "radio" ? field.closest("fieldset")?.querySelector("legend") : null;
    const label = legend || document.querySelector(`label[for="${CSS.escape(field.id)}"]`) || field;
    label.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
});
