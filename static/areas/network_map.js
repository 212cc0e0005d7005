/* The rights-protection network's map on the public home page (templates/areas/_home_network.html).
 *
 * Data from the page's JSON (json_script "network-map-data"): one layer per kind of point, each
 * point [longitude, latitude, name, community], and the streets' outlines as a GeoJSON
 * FeatureCollection (empty until the administrator uploads them). As on the leaders' big screen
 * (static/scoring/screen.js): with outlines an ECharts geo component on them, without a plain
 * longitude/latitude plane; no tile service, nothing fetched. Canvas renderer and canvas
 * tooltips, since the CSP refuses the style attributes of HTML tooltips. The table beside the map
 * lists the same points for those who do not see it.
 */
(function () {
  "use strict";

  var COLOURS = { association: "#6f42c1", liaison: "#0d6efd", station: "#198754" };

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function tooltip(p) {
    var v = p.value || [];
    return v[2] + "\n" + p.seriesName + " · " + v[3];
  }

  ready(function () {
    var el = document.querySelector("[data-chart=network-map]");
    var source = document.getElementById("network-map-data");
    if (!el || !source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var hasOutlines = data.outlines.features.length > 0;
    var coordinateSystem = hasOutlines ? "geo" : "cartesian2d";
    var option = {
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: tooltip },
      legend: { top: 0 },
      series: data.layers.map(function (layer) {
        return {
          type: "scatter",
          name: layer.label,
          coordinateSystem: coordinateSystem,
          data: layer.points,
          symbolSize: layer.kind === "association" ? 14 : 9,
          itemStyle: { color: COLOURS[layer.kind] || "#495057" }
        };
      })
    };
    if (hasOutlines) {
      echarts.registerMap("network-streets", data.outlines);
      option.geo = {
        map: "network-streets",
        roam: true,
        top: 36,
        label: { show: true, color: "#495057" },
        itemStyle: { areaColor: "#eef3f8", borderColor: "#6c8ebf" },
        emphasis: { disabled: true }
      };
    } else {
      option.grid = { left: 56, right: 16, top: 40, bottom: 32 };
      option.xAxis = { type: "value", scale: true, name: "°E", splitLine: { show: false } };
      option.yAxis = { type: "value", scale: true, name: "°N", splitLine: { show: false } };
    }
    chart.setOption(option);
    el.setAttribute("data-chart-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
