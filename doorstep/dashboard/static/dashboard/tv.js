// 大屏: show one panel at a time, the next every 15 s; htmx replaces the panels every 60 s.
(function () {
  var current = 0;
  function rotate() {
    var panels = document.querySelectorAll(".tvpanel");
    if (!panels.length) return;
    current = (current + 1) % panels.length;
    panels.forEach(function (p, i) { p.classList.toggle("active", i === current); });
    var chart = panels[current].querySelectorAll("[data-chart]");
    chart.forEach(function (el) { var c = window.echarts && window.echarts.getInstanceByDom(el); if (c) c.resize(); });
  }
  document.addEventListener("htmx:afterSwap", function () { current = -1; rotate(); });
  setInterval(rotate, 15000);
})();
