/* 欠薪预警: paid vs due per month, drawn by the vendored ECharts from the data of the
   page's json_script element (no inline script). The table beside it says the same
   in text for screen readers and without JavaScript. */
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("arrears-chart");
    var source = document.getElementById("arrears-chart-data");
    if (!box || !source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: ["#1d4ed8", "#15803d"],
      tooltip: { trigger: "axis" },
      legend: { data: ["应发（元）", "已发（元）"], top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: [
        { name: "应发（元）", type: "bar", data: data.due.map(Number) },
        { name: "已发（元）", type: "bar", data: data.paid.map(Number) }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
