// Draws the charts of a page with Apache ECharts (served by the site, no CDN; no inline script: CSP).
// The page holds its figures in <script type="application/json" id="chart-data"> (Django's json_script),
// and each <div class="chart" data-chart="KEY"> is drawn from chart-data[KEY]. A specification is either
//   {kind: "bar" | "hbar", categories: [...], series: [{name, data: [...]}], stack: bool, unit: "万元"}
// or a statistics block {title, rows: [{label, n}]} (one series of counts).
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // Colours that keep 3:1 against white and each other for colour-blind readers (blue, orange, grey-red).
  var palette = ["#1f5fa8", "#d9822b", "#8c2d2d", "#4d8a3c", "#6b4c9a"];

  function normalise(spec) {
    if (spec.rows) {
      return {
        kind: "hbar",
        unit: "件",
        categories: spec.rows.map(function (r) { return r.label; }),
        series: [{ name: "案件数", data: spec.rows.map(function (r) { return r.n; }) }]
      };
    }
    return spec;
  }

  function option(spec) {
    var horizontal = spec.kind === "hbar";
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      axisLabel: { interval: 0, width: horizontal ? 110 : 70, overflow: "truncate", fontSize: 12 },
      inverse: horizontal
    };
    var valueAxis = { type: "value", name: spec.unit || "", minInterval: spec.unit === "%" ? 0 : 1 };
    return {
      color: palette,
      textStyle: { fontFamily: "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif" },
      aria: { enabled: false }, // the box carries role="img" and a label; the table beside holds the data
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      legend: { show: spec.series.length > 1, top: 0 },
      grid: { left: 8, right: 24, top: spec.series.length > 1 ? 32 : 12, bottom: 8, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data, stack: spec.stack ? "total" : undefined, barMaxWidth: 28 };
      })
    };
  }

  var charts = [];
  document.querySelectorAll(".chart[data-chart]").forEach(function (box) {
    var spec = data[box.getAttribute("data-chart")];
    if (!spec) { return; }
    spec = normalise(spec);
    if (spec.kind === "hbar" && spec.categories.length > 8) {
      box.classList.add("chart-tall");
    }
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
