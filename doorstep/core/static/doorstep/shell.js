// The page shell for every page: phone drawer, current-page marks, table cards, busy indicator.
// No framework; each part works on whatever markup the templates render.
(function () {
  "use strict";

  // Menu button + drawer (below 1100 px and at high zoom the navigation folds away).
  function setupDrawer() {
    var button = document.querySelector(".menu-btn");
    var drawer = document.getElementById("drawer");
    if (!button || !drawer) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      document.body.classList.toggle("drawer-open", open);
      if (open) {
        var first = drawer.querySelector("a, button");
        if (first) first.focus();
      }
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && document.body.classList.contains("drawer-open")) {
        setOpen(false);
        button.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (document.body.classList.contains("drawer-open") &&
          !drawer.contains(event.target) && !button.contains(event.target)) setOpen(false);
    });
  }

  // Grouped top navigation (<details> menus): one open at a time; Escape or a click
  // elsewhere closes it, focus goes back to its summary.
  function setupNavGroups() {
    var groups = document.querySelectorAll(".mainnav details.navgroup");
    if (!groups.length) return;
    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (!group.open) return;
        groups.forEach(function (other) { if (other !== group) other.open = false; });
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      groups.forEach(function (group) {
        if (group.open) {
          group.open = false;
          if (group.contains(document.activeElement)) group.querySelector("summary").focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      groups.forEach(function (group) { if (group.open && !group.contains(event.target)) group.open = false; });
    });
  }

  // aria-current="page" on the link of each navigation that best matches this address:
  // an exact path (and query, if the link has one) wins, else the longest path prefix.
  function markCurrent() {
    var here = window.location.pathname;
    document.querySelectorAll("nav").forEach(function (nav) {
      var best = null, bestScore = 0;
      nav.querySelectorAll("a[href]").forEach(function (link) {
        if (link.getAttribute("href").charAt(0) === "#") return;
        var url = new URL(link.getAttribute("href"), window.location.href);
        if (url.origin !== window.location.origin) return;
        var score = 0;
        if (url.pathname === here) {
          score = 10000 + (url.search && url.search === window.location.search ? 1 : 0);
        } else if (url.pathname.length > 1 && here.indexOf(url.pathname) === 0) {
          score = url.pathname.length;
        }
        if (score > bestScore) { best = link; bestScore = score; }
      });
      if (best) {
        best.setAttribute("aria-current", "page");
        best.classList.add("on");
      }
    });
  }

  // Dense tables turn into cards on phones; each cell shows its column name (data-label).
  function labelTables(root) {
    root.querySelectorAll("table.dense").forEach(function (table) {
      var headCells = table.querySelectorAll("thead th");
      var first = table.querySelector("tr");
      // A table written without <thead>: its first row of <th> cells is the header row.
      if (!headCells.length && first && first.children.length &&
          Array.prototype.every.call(first.children, function (c) { return c.tagName === "TH"; })) {
        headCells = first.children;
        first.classList.add("head");
      }
      var heads = Array.prototype.map.call(headCells, function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) { table.classList.add("plain"); return; }
      table.querySelectorAll("tbody tr:not(.head)").forEach(function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && heads[col]) cell.setAttribute("data-label", heads[col]);
          if (cell.colSpan > 1) cell.classList.add("span");
          col += cell.colSpan || 1;
        });
      });
    });
  }

  // A card whose content is wider than the screen scrolls sideways: reachable by keyboard.
  function scrollableRegions(root) {
    root.querySelectorAll(".card, .section > .body").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var title = box.querySelector("h2, h3, summary");
        box.setAttribute("aria-label", title ? title.textContent.trim() : document.title);
      }
    });
  }

  // htmx: a busy line while any request runs, and aria-busy on the element that asked.
  function setupBusy() {
    var busy = document.getElementById("busy");
    var running = 0, timer = null;
    document.addEventListener("htmx:beforeRequest", function (event) {
      running += 1;
      event.target.setAttribute("aria-busy", "true");
      if (busy && !timer) timer = window.setTimeout(function () { busy.classList.add("on"); }, 150);
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      running = Math.max(0, running - 1);
      event.target.removeAttribute("aria-busy");
      if (running === 0 && busy) {
        window.clearTimeout(timer);
        timer = null;
        busy.classList.remove("on");
      }
    });
    document.addEventListener("htmx:afterSwap", function (event) { labelTables(event.target); });
  }

  // A form submitted the ordinary way: show it is on its way and stop a second submit.
  function setupSubmitOnce() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.hasAttribute("hx-post") || form.hasAttribute("hx-get") || event.defaultPrevented) return;
      if (form.dataset.sent === "1") { event.preventDefault(); return; }
      if ((form.method || "get").toLowerCase() !== "post") return;
      form.dataset.sent = "1";
      form.setAttribute("aria-busy", "true");
      window.setTimeout(function () { delete form.dataset.sent; form.removeAttribute("aria-busy"); }, 8000);
    });
  }

  // Long pages: sections marked data-fold="phone" start folded on small screens.
  function foldOnPhones() {
    if (!window.matchMedia("(max-width: 760px)").matches) return;
    document.querySelectorAll('details[data-fold="phone"]').forEach(function (section) {
      if (window.location.hash !== "#" + section.id) section.open = false;
    });
  }

  // 关怀模式 (larger type) on resident pages: remembered in this browser.
  function setupCareMode() {
    document.querySelectorAll(".care-toggle").forEach(function (button) {
      var on = document.documentElement.classList.contains("care");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.addEventListener("click", function () {
        var now = !document.documentElement.classList.contains("care");
        document.documentElement.classList.toggle("care", now);
        button.setAttribute("aria-pressed", now ? "true" : "false");
        try { window.localStorage.setItem("doorstep.care", now ? "1" : "0"); } catch (e) { /* private mode */ }
      });
    });
  }

  // Behaviour declared in the markup, so no page needs an inline script or on*= handler
  // (the Content-Security-Policy allows scripts from this site's files only):
  // data-autosubmit on a select submits its form; data-confirm on a form asks first;
  // data-print on a button prints; data-alt-key="n" on a link follows it on Alt+N.
  function setupDeclared() {
    document.addEventListener("change", function (event) {
      var field = event.target;
      if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
    });
    document.addEventListener("submit", function (event) {
      var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    }, true);
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-print]");
      if (!button) return;
      event.preventDefault();
      window.print();
    });
    document.addEventListener("keydown", function (event) {
      if (!event.altKey || !event.key || event.key.length !== 1) return;
      var link = document.querySelector('a[data-alt-key="' + event.key.toLowerCase() + '"]');
      if (link) { event.preventDefault(); window.location.href = link.href; }
    });
  }

  function start() {
    setupDeclared();
    setupCareMode();
    setupDrawer();
    setupNavGroups();
    foldOnPhones();
    markCurrent();
    labelTables(document);
    scrollableRegions(document);
    setupBusy();
    setupSubmitOnce();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
