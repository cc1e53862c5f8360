// Draws every [data-chart] element from the JSON in #chart-data; the numbers are also in the
// table beside each chart, so the page reads the same without JavaScript.
(function () {
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var dark = document.body.classList.contains("tv");
    var ink = dark ? "#e5e7eb" : "#1f2a37";
    var font = dark ? 22 : 12;
    var base = { textStyle: { color: ink, fontSize: font }, animation: false,
      color: ["#c8102e", "#1d4ed8", "#15803d", "#b45309", "#7c3aed", "#0e7490", "#be185d", "#4b5563"] };
    var axis = { axisLabel: { color: ink, fontSize: font }, axisLine: { lineStyle: { color: ink } } };
    var options = {
      trend: function (d) { return { grid: { left: 50, right: 20, top: 30, bottom: 30 },
        legend: { textStyle: { color: ink, fontSize: font } }, tooltip: { trigger: "axis" },
        xAxis: Object.assign({ type: "category", data: d[0] }, axis), yAxis: Object.assign({ type: "value" }, axis),
        series: [{ name: d[3][0], type: "line", data: d[1], smooth: true }, { name: d[3][1], type: "line", data: d[2], smooth: true }] }; },
      channels: function (d) { return { tooltip: {}, series: [{ type: "pie", radius: ["40%", "70%"],
        label: { color: ink, fontSize: font }, data: d.map(function (r) { return { name: r[0], value: r[1] }; }) }] }; },
      categories: function (d) { return { grid: { left: 120, right: 20, top: 10, bottom: 20 }, tooltip: {},
        xAxis: Object.assign({ type: "value" }, axis), yAxis: Object.assign({ type: "category", inverse: true, data: d.map(function (r) { return r[0]; }) }, axis),
        series: [{ type: "bar", data: d.map(function (r) { return r[1]; }) }] }; },
      ageing: function (d) { return { grid: { left: 50, right: 20, top: 20, bottom: 30 }, tooltip: {},
        xAxis: Object.assign({ type: "category", data: d[0] }, axis), yAxis: Object.assign({ type: "value" }, axis),
        series: [{ type: "bar", data: d[1], itemStyle: { color: "#b91c1c" } }] }; },
      fund: function (d) { return { grid: { left: 60, right: 20, top: 30, bottom: 30 }, tooltip: { trigger: "axis" },
        legend: { textStyle: { color: ink, fontSize: font } },
        xAxis: Object.assign({ type: "category", data: d[0] }, axis), yAxis: Object.assign({ type: "value" }, axis),
        series: [{ name: "收入", type: "bar", data: d[1] }, { name: "支出", type: "bar", data: d[2] }] }; }
    };
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      if (!data[name] || !options[name]) return;
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(Object.assign({}, base, options[name](data[name])), true);
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && window.echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  });
})();
