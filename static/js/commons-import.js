/* The import form shows how the upload goes. Without JavaScript the form posts as usual (the
 * browser shows its own progress). With it, the file is sent with XMLHttpRequest, so the page
 * can show the bytes sent so far and then that the server is importing (the import runs in the
 * request and answers with the new version's page, or this page with what was refused), and
 * follows the answer. A file over the size limit is refused here before it is sent. */
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) return;
  var form, box, bar, label, text, button, input, maxBytes;

  function megabytes(n) { return (n / (1024 * 1024)).toFixed(1) + " MB"; }

  function show(labelText, detail, value) {
    box.hidden = false;
    label.textContent = labelText;
    text.textContent = detail;
    if (value === null) bar.removeAttribute("value"); else bar.value = value;
  }

  // A new version answers 201 with its address (so its page, with the success message, is
  // loaded once, by the browser); a refused file answers with this page and what was wrong.
  function follow(xhr) {
    if (xhr.status === 201 && xhr.getResponseHeader("Location")) {
      window.location.assign(xhr.getResponseHeader("Location"));
      return;
    }
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var fresh = page.getElementById("steward-import");
    var current = document.getElementById("steward-import");
    if (!fresh || !current) { window.location.assign(form.action); return; }
    current.replaceWith(fresh);
    init();
    var problem = fresh.querySelector("[data-error-summary]");
    if (problem) problem.focus();
  }

  function send(event) {
    var file = input && input.files && input.files[0];
    if (!file) return;  // the server says "Choose the CSV file"
    if (maxBytes && file.size > maxBytes) {
      event.preventDefault();
      show("Too large", "The file is " + megabytes(file.size) + "; a version can be at most " +
        form.dataset.maxText + ".", 0);
      return;
    }
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Upload-Progress", "1");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { show("Uploading…", "", null); return; }
      var percent = Math.round(100 * e.loaded / e.total);
      show("Uploading…", percent + "% — " + megabytes(e.loaded) + " of " + megabytes(e.total), percent);
    });
    xhr.upload.addEventListener("load", function () {
      show("Importing…", "Uploaded. The server is checking and importing every row; this takes a few seconds for a large file.", null);
    });
    xhr.addEventListener("load", function () { follow(xhr); });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      show("Not sent", "The connection failed before the file arrived. Nothing was imported; try again.", 0);
    });
    button.disabled = true;
    show("Uploading…", "0%", 0);
    xhr.send(new FormData(form));
  }

  function init() {
    form = document.getElementById("import-form");
    if (!form) return;
    box = document.getElementById("import-progress");
    bar = document.getElementById("import-progress-bar");
    label = document.getElementById("import-progress-label");
    text = document.getElementById("import-progress-text");
    button = document.getElementById("import-submit");
    input = form.querySelector("input[type=file]");
    maxBytes = parseInt(form.dataset.maxBytes || "0", 10);
    form.addEventListener("submit", send);
  }

  init();
})();
