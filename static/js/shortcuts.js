// Keyboard shortcuts for reading: j/k move through the list, o or Enter open, s save,
// m toggle read, / search, ? the list of shortcuts. Every key presses something that is
// on the page anyway (a link, a form's button), so the same work is done with or without
// the keyboard, and htmx swaps nothing the shortcuts keep a reference to: the list is
// looked up again on every key.
(() => {
  const SELECTED = "data-selected";

  function typing(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function items() {
    return Array.from(document.querySelectorAll("[data-keyboard-list] [data-item]"));
  }

  function selected() {
    return document.querySelector(`[data-keyboard-list] [data-item][${SELECTED}]`);
  }

  function select(item) {
    const previous = selected();
    if (previous) {
      previous.removeAttribute(SELECTED);
    }
    item.setAttribute(SELECTED, "");
    const link = item.querySelector("[data-item-link]");
    (link || item).focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = items();
    if (all.length === 0) {
      return;
    }
    const index = all.indexOf(selected());
    const next = index === -1 ? (step > 0 ? 0 : all.length - 1) : index + step;
    select(all[Math.max(0, Math.min(all.length - 1, next))]);
  }

  // The selected list item, or the page itself on an article page (no list).
  function scope() {
    return items().length ? selected() : document.querySelector("main");
  }

  function press(shortcut) {
    const within = scope();
    const button = within && within.querySelector(`[data-shortcut="${shortcut}"]`);
    if (!button) {
      return;
    }
    // htmx readies swapped-in forms once the swap settles (20 ms): a key pressed sooner
    // would post the form the plain way, reloading the page. Readying it now is harmless.
    if (window.htmx && button.form) {
      window.htmx.process(button.form);
    }
    button.click();
  }

  function open() {
    const link = selected() && selected().querySelector("[data-item-link]");
    if (link) {
      link.click();
    }
  }

  function showHelp() {
    const dialog = document.getElementById("shortcuts-help");
    if (dialog && !dialog.open) {
      dialog.showModal();
    }
  }

  const actions = {
    j: () => move(1),
    k: () => move(-1),
    o: open,
    s: () => press("save"),
    m: () => press("read"),
    "?": showHelp,
    "/": () => {
      const search = document.querySelector("input[name=q]");
      if (search) {
        search.focus();
        search.select();
      }
    },
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (typing(event.target) || document.querySelector("dialog[open]")) {
      return;
    }
    if (event.key === "Enter") {
      // Enter on a link or a button already does its own thing; on the page, it opens.
      if (event.target === document.body && selected()) {
        event.preventDefault();
        open();
      }
      return;
    }
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("[data-shortcuts-open]")) {
      showHelp();
    }
  });

  // The button that opens the list of shortcuts is useless without this script: shown here.
  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-shortcuts-open]")) {
      button.hidden = false;
    }
  });
})();
