/* The leader dashboard's charts (templates/scoring/dashboard/dashboard.html).
 *
 * The data comes from the page's JSON (json_script "dashboard-data"); the tables next to the
 * charts show the same figures for those who do not see the charts. Under the portal's CSP
 * (no inline styles) the charts use the canvas renderer and canvas-drawn tooltips: ECharts' HTML
 * tooltips write style attributes into markup, which the CSP refuses.
 * Clicking a point or a bar opens the list behind it.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function follow(chart, links) {
    chart.on("click", function (params) {
      var url = links(params);
      if (url) window.location.assign(url);
    });
  }

  var TOOLTIP = { trigger: "axis", renderMode: "richText", confine: true };

  // One small chart per target (small multiples), on its own scale: the dashed red line is the
  // threshold; a point of a period still in progress is hollow and the line into it dashed;
  // a point below the minimum sample is grey.
  function smallChart(el, trend, s) {
    var unit = s.percent ? "%" : "";
    var last = trend.open.lastIndexOf(false);
    var solid = s.values.map(function (v, i) { return trend.open[i] ? null : v; });
    var running = s.values.map(function (v, i) {
      return trend.open[i] || (i === last && trend.open[i + 1]) ? v : null;
    });
    var points = s.values.map(function (v, i) {
      return {
        value: v,
        symbol: trend.open[i] ? "emptyCircle" : "circle",
        itemStyle: s.insufficient[i] ? { color: "#adb5bd" } : undefined
      };
    });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var series = [
      { name: s.label, type: "line", data: points, symbolSize: 7, lineStyle: { opacity: 0 }, z: 3 },
      { name: s.label, type: "line", data: solid, symbol: "none", connectNulls: false },
      { name: s.label, type: "line", data: running, symbol: "none", lineStyle: { type: "dashed" } }
    ];
    if (s.threshold !== null) {
      series[0].markLine = {
        silent: true,
        symbol: "none",
        lineStyle: { color: "#dc3545", type: "dashed" },
        label: { formatter: s.threshold + unit, position: "insideEndTop" },
        data: [{ yAxis: s.threshold }]
      };
    }
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", confine: true },
      grid: { left: 44, right: 12, top: 12, bottom: 24 },
      xAxis: { type: "category", data: trend.periods, boundaryGap: false },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}" + unit } },
      series: series
    });
    follow(chart, function (p) { return trend.links[p.dataIndex]; });
    return chart;
  }

  function compareChart(el, data) {
    var unit = data.percent ? "%" : "";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var bars = {
      type: "bar",
      data: data.values.map(function (v, i) {
        return { value: v, itemStyle: data.insufficient[i] ? { color: "#adb5bd" } : undefined };
      }),
      label: { show: true, position: "top", formatter: "{c}" + unit }
    };
    if (data.threshold !== null) {
      bars.markLine = {
        silent: true, symbol: "none",
        lineStyle: { color: "#dc3545", type: "dashed" },
        data: [{ yAxis: data.threshold }]
      };
    }
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: TOOLTIP,
      grid: { left: 48, right: 16, top: 24, bottom: 48 },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + unit } },
      series: [bars]
    });
    follow(chart, function (p) { return data.links[p.dataIndex]; });
    return chart;
  }

  function gradeChart(el, grades, values, links, color) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: TOOLTIP,
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: "category", data: grades },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: values, itemStyle: { color: color }, label: { show: true, position: "top" } }]
    });
    follow(chart, function (p) { return links[p.dataIndex]; });
    return chart;
  }

  ready(function () {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart=trend]").forEach(function (el) {
      var s = data.trend.series[Number(el.getAttribute("data-series"))];
      if (s) charts.push(smallChart(el, data.trend, s));
    });
    var compareEl = document.querySelector("[data-chart=compare]");
    if (compareEl && data.compare) charts.push(compareChart(compareEl, data.compare));
    var allEl = document.querySelector("[data-chart=grades-all]");
    if (allEl) charts.push(gradeChart(allEl, data.grades.grades, data.grades.all, data.grades.allLinks, "#0d6efd"));
    var demoEl = document.querySelector("[data-chart=grades-demonstration]");
    if (demoEl) charts.push(gradeChart(demoEl, data.grades.grades, data.grades.demonstration, data.grades.demonstrationLinks, "#198754"));
    document.documentElement.setAttribute("data-charts-ready", String(charts.length));
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
