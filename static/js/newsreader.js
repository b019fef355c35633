// What htmx does not do by itself: empty the paste box once a link has been accepted,
// unless the reader has already typed the next one while the request was on its way.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (form.id === "paste-form") {
    form.dataset.sent = form.elements.url.value;
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  // 422 (a refused link) and 429 (too many pastes) are swapped too, to show why: keep
  // the text to correct it or send it again.
  if (form.id !== "paste-form" || event.detail.xhr.status !== 200) {
    return;
  }
  if (form.elements.url.value === form.dataset.sent) {
    form.elements.url.value = "";
  }
});
