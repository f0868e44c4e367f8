// Keel web UI: a little vanilla JS. Charts are uPlot over points the server has already thinned (LTTB).
"use strict";

(function () {
  const palette = ["#2457c5", "#d92d20", "#039855", "#dc6803", "#7a5af8", "#0e9384", "#c11574", "#475467"];

  async function fetchSeries(runId, key, axis, points) {
    const url = `/api/keel/v1/runs/${encodeURIComponent(runId)}/metrics/downsampled?key=${encodeURIComponent(key)}&x=${axis}&points=${points}`;
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`${response.status} ${await response.text()}`);
    }
    return response.json();
  }

  // Exponential moving average with TensorBoard's debiasing, so the first points are not pulled towards zero.
  function smooth(ys, weight) {
    if (!(weight > 0)) {
      return ys;
    }
    const out = new Array(ys.length);
    let last = 0;
    let count = 0;
    for (let i = 0; i < ys.length; i++) {
      last = last * weight + (1 - weight) * ys[i];
      count++;
      out[i] = last / (1 - Math.pow(weight, count));
    }
    return out;
  }

  // Draws one chart into el from its data-* attributes: data-runs (comma-separated), data-names, data-key,
  // data-x (step|time), data-smooth (0..0.99), data-log (1 for a log y scale), data-points.
  async function drawChart(el) {
    const runs = el.dataset.runs.split(",");
    const names = (el.dataset.names || el.dataset.runs).split(",");
    const axis = el.dataset.x === "time" ? "time" : "step";
    const weight = parseFloat(el.dataset.smooth || "0");
    const log = el.dataset.log === "1";
    const points = parseInt(el.dataset.points || "1000", 10);
    const target = el.querySelector(".plot") || el;
    try {
      const series = await Promise.all(runs.map(r => fetchSeries(r, el.dataset.key, axis, points)));
      const tables = series.map(s => [axis === "time" ? s.xs.map(x => x / 1000) : s.xs, smooth(s.ys, weight)]);
      const data = tables.length === 1 ? tables[0] : uPlot.join(tables);
      // A line needs two points; short series show their points as dots.
      const dots = series.every(s => s.xs.length < 30);
      const opts = {
        width: Math.max(280, target.clientWidth || 360),
        height: parseInt(el.dataset.height || "180", 10),
        scales: { x: { time: axis === "time" }, y: log ? { distr: 3 } : {} },
        legend: { show: runs.length > 1 },
        series: [{ label: axis }, ...runs.map((r, i) => ({
          label: names[i] || r, stroke: palette[i % palette.length], width: 1.5, spanGaps: true, points: { show: dots },
        }))],
      };
      target.textContent = "";
      el.chart = new uPlot(opts, data, target);
      el.dataset.drawn = String(series.reduce((n, s) => n + s.xs.length, 0));
    } catch (e) {
      target.textContent = "Could not load the chart: " + e.message;
      el.dataset.drawn = "error";
    }
  }

  // Draws a chart whose points the page carries inline (monitor windows: a few dozen per series), from a
  // <script type="application/json"> child: {"x": [...], "series": [{"label", "values": [...], "dash": bool}]}.
  function drawInlineChart(el) {
    const target = el.querySelector(".plot") || el;
    const spec = JSON.parse(el.querySelector("script[type='application/json']").textContent);
    const opts = {
      width: Math.max(280, target.clientWidth || 600),
      height: parseInt(el.dataset.height || "220", 10),
      // data-time: x holds epoch seconds (traffic per minute); otherwise window numbers, whole: no ticks between them.
      scales: { x: { time: el.dataset.time === "1" } },
      axes: el.dataset.time === "1" ? [{}, {}] : [{ incrs: [1, 2, 5, 10, 20, 50, 100] }, {}],
      series: [{ label: el.dataset.xLabel || "x" }, ...spec.series.map((s, i) => ({
        label: s.label, stroke: s.dash ? "#98a2b3" : palette[i % palette.length], width: s.dash ? 1 : 1.5,
        dash: s.dash ? [6, 4] : undefined, spanGaps: true, points: { show: !s.dash && spec.x.length < 30 },
      }))],
    };
    target.textContent = "";
    el.chart = new uPlot(opts, [spec.x, ...spec.series.map(s => s.values)], target);
    el.dataset.drawn = String(spec.series.reduce((n, s) => n + s.values.filter(v => v !== null).length, 0));
  }

  window.keel = { drawChart, drawInlineChart };

  document.addEventListener("DOMContentLoaded", () => {
    if (window.uPlot) {
      document.querySelectorAll("[data-chart]").forEach(drawChart);
      document.querySelectorAll("[data-inline-chart]").forEach(drawInlineChart);
    }

    // "Select all" on a run table.
    document.querySelectorAll("input[data-select-all]").forEach(box => box.addEventListener("change", () => {
      document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach(b => { b.checked = box.checked; });
    }));

    // Buttons that change something ask first.
    document.querySelectorAll("form[data-confirm]").forEach(form => form.addEventListener("submit", ev => {
      if (!window.confirm(form.dataset.confirm)) {
        ev.preventDefault();
      }
    }));
  });
})();
