// Enhancements only: every page works without this file.
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("DOMContentLoaded", () => {
  // One drop-down open at a time; Escape or a click elsewhere closes it.
  const groups = Array.from(document.querySelectorAll("[data-nav-group]"));
  groups.forEach((group) => {
    group.addEventListener("toggle", () => {
      if (group.open) groups.filter((other) => other !== group).forEach((other) => (other.open = false));
    });
    group.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", (event) => {
    groups.forEach((group) => {
      if (group.open && !group.contains(event.target)) group.open = false;
    });
  });

  // Alert banners can be dismissed for this page view.
  document.querySelectorAll("[data-dismiss-alert]").forEach((button) => {
    button.addEventListener("click", () => button.closest("[data-alert-banner]").remove());
  });
});
