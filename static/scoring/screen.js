/* The leaders' big screen's map (templates/scoring/screen/screen.html).
 *
 * Data from the page's JSON (json_script "screen-data", labels in "screen-labels"): street
 * outlines as a GeoJSON FeatureCollection (empty until the administrator uploads them) and
 * points [longitude, latitude, name, ...]. With outlines the map is an ECharts geo component
 * on them; without, a plain value/value plane. No tile service, nothing fetched. Canvas renderer
 * and canvas tooltips, since the CSP refuses the style attributes of HTML tooltips.
 * The page reloads itself every data-refresh-seconds (the body's attribute) unless the pause
 * button is pressed (WCAG 2.2.1), so nothing here polls.
 */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function series(data, labels, coordinateSystem) {
    var approved = data.units.filter(function (u) { return !u[3]; });
    var warning = data.units.filter(function (u) { return u[3]; });
    function size(p) { return Math.min(40, 8 + 4 * Math.sqrt(p[3])); }
    var common = { type: "scatter", coordinateSystem: coordinateSystem };
    return [
      Object.assign({ name: labels.units, data: approved, symbolSize: 6, itemStyle: { color: "#4fc3f7" } }, common),
      Object.assign({ name: labels.warning, data: warning, symbolSize: 10, itemStyle: { color: "#ffb300" } }, common),
      Object.assign({ name: labels.complaints, data: data.complaints, symbolSize: size, itemStyle: { color: "#ef5350", opacity: 0.75 } }, common),
      Object.assign({ name: labels.failed, data: data.failed, symbol: "diamond", symbolSize: size, itemStyle: { color: "#ab47bc", opacity: 0.85 } }, common)
    ];
  }

  function tooltip(p) {
    var v = p.value || [];
    return p.seriesName + "\n" + v[2] + (typeof v[3] === "number" ? " · " + v[3] : "");
  }

  ready(function () {
    var seconds = Number(document.body.getAttribute("data-refresh-seconds"));
    if (!seconds) return;
    var timer = null;
    function start() {
      timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
    start();
    var button = document.querySelector("[data-testid=screen-pause]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var paused = button.getAttribute("aria-pressed") === "true";
      if (paused) start();
      else window.clearTimeout(timer);
      button.setAttribute("aria-pressed", paused ? "false" : "true");
    });
  });

  ready(function () {
    var el = document.querySelector("[data-chart=screen-map]");
    var data = json("screen-data");
    var labels = json("screen-labels");
    if (!el || !data || !labels || typeof echarts === "undefined") return;
    var chart = echarts.init(el, "dark", { renderer: "canvas" });
    var hasOutlines = data.outlines.features.length > 0;
    var option = {
      aria: { enabled: true },
      animation: false,
      backgroundColor: "transparent",
      tooltip: { trigger: "item", renderMode: "richText", formatter: tooltip },
      legend: { top: 0, textStyle: { fontSize: 16 } }
    };
    if (hasOutlines) {
      echarts.registerMap("streets", data.outlines);
      option.geo = {
        map: "streets",
        roam: true,
        top: 40,
        label: { show: true, color: "#cfd8dc", fontSize: 16 },
        itemStyle: { areaColor: "#15324f", borderColor: "#90caf9" },
        emphasis: { disabled: true }
      };
      option.series = series(data, labels, "geo");
    } else {
      option.grid = { left: 64, right: 24, top: 48, bottom: 40 };
      option.xAxis = { type: "value", scale: true, name: "°E", splitLine: { show: false } };
      option.yAxis = { type: "value", scale: true, name: "°N", splitLine: { show: false } };
      option.series = series(data, labels, "cartesian2d");
    }
    chart.setOption(option);
    document.documentElement.setAttribute("data-charts-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
