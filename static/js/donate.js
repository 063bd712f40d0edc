// The donate page: typing an "Other amount" chooses "Other amount", so the gift is what was typed.
// Without this script the server asks which amount was meant (membership.forms.DonationForm).
(function () {
  "use strict";

  function enhance() {
    var typed = document.querySelector('input[name="other_amount"]');
    var other = document.querySelector('input[name="preset_amount"][value="other"]');
    if (!typed || !other) {
      return;
    }
    typed.addEventListener("input", function () {
      if (typed.value.trim() !== "" && !other.checked) {
        other.checked = true;
        // Listeners (and assistive technology) learn of the change as if the donor had clicked it.
        other.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
