// Reading preferences: the colour theme, and how names are highlighted in an article (all
// mentions, the first of each name, none; which types). A logged-in reader's are kept on
// the server (the page carries them on <html>, and each change is sent back), so they
// follow the reader from browser to browser; anyone else's are remembered in this browser.
// Loaded in <head> without `defer`, so the remembered choice is on <html> before the first
// paint and the stylesheet draws the page with it; the controls are wired once it is parsed.
"use strict";

(() => {
  const root = document.documentElement;
  const TYPES = ["person", "country", "org", "place"];
  const DENSITIES = ["all", "first", "none"];
  // The mentions newsreader.css draws as plain text. They stop being links too (no invisible
  // link, no stray tab stop), and get their link back when shown again.
  const PLAIN = [
    ':root[data-highlight="none"] .mention',
    ':root[data-highlight="first"] .mention:not(.first-mention)',
    ...TYPES.map((type) => `:root[data-hide~="${type}"] .mention.type-${type}`),
  ].join(", ");
  const LINK_ATTRIBUTES = ["href", "title", "tabindex"];

  // Storage can be refused (a privacy setting): the choice then lasts for the page.
  const load = (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  const save = (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {}
  };

  const setTheme = (theme) => {
    if (theme === "light" || theme === "dark") {
      root.dataset.theme = theme;
    }
  };
  const setDensity = (density) => {
    root.dataset.highlight = DENSITIES.includes(density) ? density : "all";
  };
  const setHidden = (types) => {
    root.dataset.hide = types.filter((type) => TYPES.includes(type)).join(" ");
  };

  const serverUrl = root.dataset.preferencesUrl;
  if (serverUrl) {
    setDensity(root.dataset.highlight);
    setHidden((root.dataset.hide || "").split(" "));
  } else {
    setTheme(load("newsreader.theme"));
    setDensity(load("newsreader.highlight"));
    setHidden((load("newsreader.hidden-types") || "").split(" "));
  }

  const csrfToken = () => {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["x-csrftoken"];
    } catch {
      return "";
    }
  };

  function remember() {
    if (!serverUrl) {
      save("newsreader.theme", root.dataset.theme || "");
      save("newsreader.highlight", root.dataset.highlight);
      save("newsreader.hidden-types", root.dataset.hide);
      return;
    }
    const body = new URLSearchParams({
      theme: root.dataset.theme || "",
      highlight: root.dataset.highlight,
    });
    for (const type of root.dataset.hide.split(" ").filter(Boolean)) {
      body.append("hidden_types", type);
    }
    fetch(serverUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    });
  }

  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => (root.dataset.theme || (systemDark.matches ? "dark" : "light")) === "dark";

  function setLinked(mention, linked) {
    for (const name of LINK_ATTRIBUTES) {
      const kept = `data-link-${name}`;
      const [from, to] = linked ? [kept, name] : [name, kept];
      if (mention.hasAttribute(from)) {
        mention.setAttribute(to, mention.getAttribute(from));
        mention.removeAttribute(from);
      }
    }
  }

  function applyMentions() {
    for (const mention of document.querySelectorAll(".article-text .mention")) {
      setLinked(mention, !mention.matches(PLAIN));
    }
  }

  function wireThemeToggle(button) {
    const show = () => button.setAttribute("aria-pressed", String(isDark()));
    button.addEventListener("click", () => {
      const theme = isDark() ? "light" : "dark";
      setTheme(theme);
      remember();
      show();
    });
    systemDark.addEventListener("change", show);
    show();
    button.hidden = false;
  }

  function wireHighlightControls(form) {
    form.elements.density.value = root.dataset.highlight;
    for (const box of form.querySelectorAll('input[name="type"]')) {
      box.checked = !root.dataset.hide.split(" ").includes(box.value);
    }
    form.addEventListener("change", () => {
      const hidden = [...form.querySelectorAll('input[name="type"]:not(:checked)')];
      setDensity(form.elements.density.value);
      setHidden(hidden.map((box) => box.value));
      remember();
      applyMentions();
    });
    form.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    applyMentions();
    const button = document.querySelector(".theme-toggle");
    if (button) {
      wireThemeToggle(button);
    }
    const form = document.querySelector(".highlight-controls");
    if (form) {
      wireHighlightControls(form);
    }
  });
})();
