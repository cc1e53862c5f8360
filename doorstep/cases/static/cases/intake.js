// The desk intake form by keyboard: channel Alt+1…7, the top suggestion with Alt+A, lists with
// ↑↓ + Enter (a resident is never picked without a choice), Alt+R to the resident search,
// Ctrl+Enter to register, Alt+S to settle on the spot; focus on the first bad field.
(function () {
  "use strict";
  var form = document.getElementById("intake");
  if (!form) return;
  var itemInput = form.querySelector("input[name=item]");
  var residentInput = form.querySelector("input[name=resident]");
  var suggestedInput = form.querySelector("[name=suggested_item]");
  var confidenceInput = form.querySelector("[name=routing_confidence]");
  var suggestions = document.getElementById("suggestions");
  var compound = document.getElementById("id_compound");
  var building = document.getElementById("id_building");

  function byId(id) { return document.getElementById(id); }

  function setOpen(input, box, open) {
    box.style.display = open ? "block" : "none";
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) input.removeAttribute("aria-activedescendant");
  }

  function chooseItem(el, suggested) {
    itemInput.value = el.dataset.item;
    byId("item-chosen").textContent = "✔ " + el.dataset.label;
    byId("item-chosen").classList.remove("muted");
    var guide = el.querySelector("template");
    if (guide) {
      byId("guidance-body").innerHTML = guide.innerHTML;
      byId("guidance-body").classList.remove("muted");
    }
    if (suggested) {
      suggestedInput.value = el.dataset.item;
      confidenceInput.value = el.dataset.confidence;
    }
    form.querySelectorAll(".suggestion").forEach(function (s) {
      s.classList.toggle("on", s.dataset.item === el.dataset.item);
      s.setAttribute("aria-pressed", s.dataset.item === el.dataset.item ? "true" : "false");
    });
    setOpen(byId("item-q"), byId("item-results"), false);
  }

  // The resident's address goes into the case (editable): compound, then its buildings.
  function copyAddress(el) {
    if (!el.dataset.compound || !compound) return;
    compound.value = el.dataset.compound;
    var wanted = el.dataset.building;
    if (window.htmx) {
      window.htmx.ajax("GET", compound.getAttribute("hx-get") + "?compound=" + el.dataset.compound,
        { target: "#id_building", swap: "innerHTML" }).then(function () { building.value = wanted; });
    }
  }

  function chooseResident(el) {
    residentInput.value = el.dataset.resident;
    var line = byId("resident-chosen");
    line.textContent = "";
    line.appendChild(document.createTextNode(line.dataset.prefix + " "));
    var strong = document.createElement("strong");
    strong.textContent = el.dataset.label;
    line.appendChild(strong);
    setOpen(byId("resident-q"), byId("resident-results"), false);
    copyAddress(el);
  }

  // ↑↓ in a listbox; `autoFirst` highlights the first option as soon as results arrive.
  function options(box) { return Array.prototype.slice.call(box.querySelectorAll("[role=option]")); }
  function activate(input, box, index) {
    var list = options(box);
    list.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (list[index]) {
      input.setAttribute("aria-activedescendant", list[index].id);
      list[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function activeIndex(box) {
    return options(box).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }
  function listKeys(event, input, box, pick) {
    var list = options(box);
    if (!list.length || box.style.display === "none") return false;
    var i = activeIndex(box);
    if (event.key === "ArrowDown") { activate(input, box, Math.min(i + 1, list.length - 1)); return true; }
    if (event.key === "ArrowUp") { activate(input, box, Math.max(i - 1, 0)); return true; }
    if (event.key === "Escape") { setOpen(input, box, false); return true; }
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      if (i >= 0) pick(list[i]);
      return true; // Enter never submits from a search box, and never picks unasked
    }
    return false;
  }

  function topSuggestion() {
    // the router marks suggestions at or above its threshold (data-confident)
    var first = suggestions.querySelector(".suggestion");
    return first && first.dataset.confident === "1" ? first : null;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target.id === "item-results") {
      setOpen(byId("item-q"), target, target.innerHTML.trim() !== "");
      if (options(target).length) activate(byId("item-q"), target, 0);
    }
    if (target.id === "resident-results") setOpen(byId("resident-q"), target, target.innerHTML.trim() !== "");
    if (target.id === "suggestions") {
      var first = target.querySelector(".suggestion");
      if (first && !itemInput.value) {
        suggestedInput.value = first.dataset.item;
        confidenceInput.value = first.dataset.confidence;
      }
    }
  });

  form.addEventListener("click", function (event) {
    var item = event.target.closest("[data-item]");
    if (item) { event.preventDefault(); chooseItem(item, item.classList.contains("suggestion")); return; }
    var resident = event.target.closest("[data-resident]");
    if (resident) { event.preventDefault(); chooseResident(resident); }
  });

  form.addEventListener("keydown", function (event) {
    var t = event.target;
    if (t.id === "item-q" && listKeys(event, t, byId("item-results"), function (o) { chooseItem(o, false); })) {
      event.preventDefault(); return;
    }
    if (t.id === "resident-q" && listKeys(event, t, byId("resident-results"), chooseResident)) {
      event.preventDefault(); return;
    }
    if (t.classList && t.classList.contains("suggestion") && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      var chips = Array.prototype.slice.call(suggestions.querySelectorAll(".suggestion"));
      var next = chips[(chips.indexOf(t) + (event.key === "ArrowRight" ? 1 : chips.length - 1)) % chips.length];
      chips.forEach(function (c) { c.tabIndex = c === next ? 0 : -1; });
      next.focus();
      event.preventDefault(); return;
    }
    if ((t.id === "item-q" || t.id === "resident-q") && event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault(); return;
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault(); byId("btn-register").click(); return;
    }
    if (!event.altKey) return;
    var key = event.key.toLowerCase();
    var digit = /^Digit([1-9])$/.exec(event.code || "");
    if (digit) {
      var radio = form.querySelector('input[name=channel][data-key="' + digit[1] + '"]');
      if (radio) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); event.preventDefault(); }
      return;
    }
    if (event.code === "KeyS" || key === "s") { event.preventDefault(); byId("btn-settle").click(); return; }
    if (event.code === "KeyR" || key === "r") { event.preventDefault(); byId("resident-q").focus(); return; }
    if (event.code === "KeyA" || key === "a") {
      var top = topSuggestion();
      if (top) { event.preventDefault(); chooseItem(top, true); }
    }
  });

  // After an error: focus the first bad field (the summary above lists them all).
  var firstBad = form.querySelector("[aria-invalid=true]");
  if (firstBad) firstBad.focus();
})();
