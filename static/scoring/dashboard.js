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

  function trendChart(el, trend) {
    var hasPercent = trend.series.some(function (s) { return s.percent; });
    var hasOther = trend.series.some(function (s) { return !s.percent; });
    // With targets missed in the chosen period, the chart opens on those; the legend adds others.
    var selected = {};
    var anyMissed = trend.series.some(function (s) { return s.missed; });
    trend.series.forEach(function (s) { selected[s.label] = !anyMissed || s.missed; });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: TOOLTIP,
      legend: { type: "scroll", top: 0, selected: selected },
      grid: { left: 48, right: hasOther ? 56 : 32, top: 48, bottom: 32 },
      xAxis: { type: "category", data: trend.periods, boundaryGap: false },
      yAxis: [
        { type: "value", show: hasPercent || !hasOther, axisLabel: { formatter: "{value}%" } },
        { type: "value", show: hasOther, splitLine: { show: false } }
      ],
      series: trend.series.map(function (s) {
        return {
          name: s.label,
          type: "line",
          yAxisIndex: s.percent ? 0 : 1,
          connectNulls: false,
          data: s.values
        };
      })
    });
    follow(chart, function (p) { return trend.links[p.dataIndex]; });
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
    var trendEl = document.querySelector("[data-chart=trend]");
    if (trendEl && data.trend.series.length) charts.push(trendChart(trendEl, data.trend));
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
