/* The admin figures page: draws the charts from the JSON block the page carries. */
(function () {
  "use strict";
  var block = document.getElementById("figures-data");
  if (!block || !window.Plotly) { return; }
  var payload = JSON.parse(block.textContent);
  var data = payload.data;
  var labels = payload.labels;
  // Static charts: the bundle leaves out hover, zoom, selection and the mode bar
  // (scripts/web-assets/plotly-build.mjs); the numbers are in the tables below them.
  var config = { staticPlot: true, responsive: true };
  var font = { family: "system-ui, sans-serif", size: 13 };
  var palette = ["#9a3412", "#c2410c", "#15803d", "#1d4ed8", "#6b21a8", "#475569", "#b45309", "#0f766e"];

  function pie(id, counts, names) {
    var keys = Object.keys(counts).filter(function (k) { return counts[k] > 0; });
    Plotly.newPlot(id, [{
      type: "pie", hole: 0.45, sort: false,
      labels: keys.map(function (k) { return names[k] || k; }),
      values: keys.map(function (k) { return counts[k]; }),
      marker: { colors: palette }, textinfo: "value"
    }], { margin: { t: 10, b: 10, l: 10, r: 10 }, height: 300, font: font }, config);
  }

  pie("chart-products", data.products_by_status, labels.products);
  pie("chart-orders", data.orders_by_status, labels.orders);

  var byCurrency = {};
  data.by_month.forEach(function (row) {
    (byCurrency[row.currency] = byCurrency[row.currency] || []).push(row);
  });
  var traces = Object.keys(byCurrency).map(function (currency, i) {
    var scale = Math.pow(10, data.exponents[currency] || 0);
    return {
      type: "bar", name: labels.gmv + " " + currency,
      x: byCurrency[currency].map(function (r) { return r.month; }),
      y: byCurrency[currency].map(function (r) { return r.gmv_minor / scale; }),
      marker: { color: palette[i % palette.length] }
    };
  });
  Plotly.newPlot("chart-gmv", traces, {
    barmode: "group", height: 320, font: font,
    margin: { t: 10, b: 40, l: 70, r: 10 }, xaxis: { type: "category" }
  }, config);
})();
