// Shows the file picked in an admin image input (ala_site.admin.KeptImageWidget) before it is
// uploaded. Without JavaScript the form works the same, only without this preview.
"use strict";

(function () {
  function previewFor(input) {
    const id = input.dataset.imagePreview;
    let preview = document.getElementById(id);
    if (!preview) {
      preview = document.createElement("img");
      preview.id = id;
      preview.className = "admin-image-preview kept-image-input__preview";
      preview.hidden = true;
      (input.closest(".kept-image-input") || input.parentElement).prepend(preview);
    }
    if (!("initialSrc" in preview.dataset)) {
      // What to show again if the picked file is taken back.
      preview.dataset.initialSrc = preview.getAttribute("src") || "";
      preview.dataset.initialAlt = preview.getAttribute("alt") || "";
    }
    return preview;
  }

  function show(input) {
    const preview = previewFor(input);
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) {
      if (preview.dataset.initialSrc) {
        preview.src = preview.dataset.initialSrc;
        preview.alt = preview.dataset.initialAlt;
        preview.hidden = false;
      } else {
        preview.removeAttribute("src");
        preview.hidden = true;
      }
      return;
    }
    const reader = new FileReader();
    reader.addEventListener("load", function () {
      // A data: URL, because the Content-Security-Policy allows data: images but not blob: ones.
      preview.src = reader.result;
      preview.alt = "Preview of the chosen file, " + file.name;
      preview.hidden = false;
    });
    reader.readAsDataURL(file);
  }

  document.addEventListener("change", function (event) {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.imagePreview) {
      show(input);
    }
  });
})();
