/* 民情日记 offline capture: entries wait in localStorage with a client UUID until synced. */
(function () {
  "use strict";
  var root = document.getElementById("capture");
  if (!root) return;
  var KEY = "doorstep-diary-queue";
  var msg = root.dataset;
  var form = document.getElementById("diary-form");
  var syncing = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(KEY, JSON.stringify(queue)); }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function text(el, value) { el.textContent = value; return el; }

  function render() {
    var queue = load();
    var list = document.getElementById("queue");
    list.innerHTML = "";
    queue.slice().reverse().forEach(function (e) {
      var li = document.createElement("li");
      li.className = "entry " + e.status;
      li.dataset.uuid = e.uuid;
      var head = document.createElement("div");
      head.className = "small";
      var status = e.status === "synced"
        ? (e.settled ? msg.msgSettled : msg.msgSynced) + " " + e.code
        : e.status === "error" ? msg.msgFailed + "：" + e.error : msg.msgQueued;
      text(head, e.compound_name + " · " + status);
      li.appendChild(head);
      li.appendChild(text(document.createElement("div"), e.text));
      list.appendChild(li);
    });
    document.getElementById("pending").textContent =
      queue.filter(function (e) { return e.status !== "synced"; }).length;
  }

  function showNet() {
    var net = document.getElementById("net");
    net.textContent = navigator.onLine ? msg.msgOnline : msg.msgOffline;
    net.className = navigator.onLine ? "" : "off";
  }

  function sync() {
    if (syncing) return syncing;
    var pending = load().filter(function (e) { return e.status !== "synced"; });
    if (!pending.length) return Promise.resolve();
    syncing = fetch(root.dataset.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": cookie("csrftoken") },
      body: JSON.stringify({ entries: pending })
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (!r.ok || type.indexOf("application/json") < 0) throw new Error(msg.msgLogin);
      return r.json();
    }).then(function (data) {
      var queue = load();
      (data.results || []).forEach(function (res) {
        queue.forEach(function (e) {
          if (e.uuid !== res.uuid) return;
          if (res.ok) { e.status = "synced"; e.code = res.code; e.settled = res.settled; }
          else { e.status = "error"; e.error = res.error; }
        });
      });
      // Keep the last 30 synced entries on screen; drop older ones.
      var synced = queue.filter(function (e) { return e.status === "synced"; });
      var drop = synced.slice(0, Math.max(0, synced.length - 30)).map(function (e) { return e.uuid; });
      save(queue.filter(function (e) { return drop.indexOf(e.uuid) < 0; }));
    }).catch(function () { /* offline or logged out: the queue stays, try again later */ })
      .then(function () { syncing = null; render(); });
    return syncing;
  }
  window.doorstepDiarySync = sync;

  document.getElementById("settle").addEventListener("change", function () {
    document.getElementById("reply").hidden = !this.checked;
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var err = document.getElementById("form-error");
    var body = form.text.value.trim();
    var settle = form.settle_now.checked;
    var picked = form.querySelector("input[name=compound]:checked");
    var mustPick = !picked && form.querySelector("input[name=compound]");
    var problem = !body ? msg.msgNeedText : (settle && !form.reply.value.trim() ? msg.msgNeedReply : (mustPick ? msg.msgNeedCompound : ""));
    err.hidden = !problem;
    err.innerHTML = "";
    if (problem) {
      err.appendChild(text(document.createElement("li"), problem));
      var bad = problem === msg.msgNeedCompound ? form.querySelector("input[name=compound]") : (problem === msg.msgNeedText ? form.text : form.reply);
      if (bad) bad.focus();
      return;
    }
    var queue = load();
    queue.push({
      uuid: uuid4(),
      compound: picked ? picked.value : "",
      compound_name: picked ? picked.dataset.name : "",
      text: body,
      contact_name: form.contact_name.value.trim(),
      item: form.item.value,
      settle_now: settle,
      reply: settle ? form.reply.value.trim() : "",
      captured_at: new Date().toISOString(),
      status: "queued"
    });
    save(queue);
    form.text.value = ""; form.contact_name.value = ""; form.reply.value = "";
    form.settle_now.checked = false; form.item.value = "";
    document.getElementById("reply").hidden = true;
    render();
    if (navigator.onLine) sync();
  });
  document.getElementById("btn-sync").addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { showNet(); sync(); });
  window.addEventListener("offline", showNet);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/field/" }).catch(function () {});
  }
  showNet();
  render();
  if (navigator.onLine) sync();
})();
