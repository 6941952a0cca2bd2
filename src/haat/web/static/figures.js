/* The admin figures page: draws the charts from the JSON block the page carries. */
(function () {
  "use strict";
  var block = document.getElementById("figures-data");
  if (!block || !window.Plotly) { return; }
  var payload = JSON.parse(block.textContent);
  var data = payload.data;
  var labels = payload.labels;
  var lang = document.documentElement.lang || undefined;
  // Static charts without legends: the bundle leaves out hover, zoom, selection, the mode bar
  // and legend drawing (scripts/web-assets/plotly-build.mjs); the numbers are in the tables
  // below them, and each bar carries its value.
  var config = { staticPlot: true, responsive: true };
  var font = { family: "system-ui, sans-serif", size: 13 };
  var palette = ["#9a3412", "#1d4ed8", "#15803d", "#6b21a8", "#475569", "#b45309", "#0f766e", "#c2410c"];
  var count = new Intl.NumberFormat(lang);

  // Horizontal bars, one per status ([status, count] pairs in the service's order, drawn top
  // to bottom), zeros included; both charts as tall as the longer list needs, side by side.
  var statusHeight = 60 + 34 * Math.max(data.products_by_status.length, data.orders_by_status.length);
  function statusBars(id, counts, names, color) {
    var rows = counts.slice().reverse();
    var most = Math.max.apply(null, rows.map(function (r) { return r[1]; }));
    Plotly.newPlot(id, [{
      type: "bar", orientation: "h",
      y: rows.map(function (r) { return names[r[0]] || r[0]; }),
      x: rows.map(function (r) { return r[1]; }),
      text: rows.map(function (r) { return count.format(r[1]); }),
      textposition: "outside", cliponaxis: false, marker: { color: color }
    }], {
      height: statusHeight, font: font, showlegend: false, bargap: 0.3,
      margin: { t: 10, b: 30, l: 10, r: 40 },
      yaxis: { type: "category", automargin: true, ticksuffix: " " },
      // Counts are whole: a tick per unit while they are small (Plotly would tick 0.5 or 0.2).
      xaxis: { rangemode: "tozero", zeroline: true, dtick: most < 10 ? 1 : undefined }
    }, config);
  }

  statusBars("chart-products", data.products_by_status, labels.products, palette[0]);
  statusBars("chart-orders", data.orders_by_status, labels.orders, palette[1]);

  // GMV: one chart per currency sold in the 12 months (amounts in different currencies do not
  // share a scale), in major units, over those months (the page has no GMV figure if none).
  var gmv = document.getElementById("chart-gmv");
  var months = data.months;
  var byCurrency = {};
  data.by_month.forEach(function (row) {
    (byCurrency[row.currency] = byCurrency[row.currency] || {})[row.month] = row.gmv_minor;
  });
  function gmvChart(target, currency, color) {
    var scale = Math.pow(10, data.exponents[currency] || 0);
    var money = new Intl.NumberFormat(lang, {
      style: "currency", currency: currency, minimumFractionDigits: 0, maximumFractionDigits: 0
    });
    var values = months.map(function (m) { return (byCurrency[currency][m] || 0) / scale; });
    Plotly.newPlot(target, [{
      type: "bar", x: months, y: values,
      text: values.map(function (v) { return v ? money.format(v) : ""; }),
      textposition: "outside", cliponaxis: false, marker: { color: color }
    }], {
      height: 240, font: font, showlegend: false, bargap: 0.3,
      margin: { t: 24, b: 10, l: 10, r: 10 },
      xaxis: { type: "category", automargin: true },
      yaxis: { rangemode: "tozero", automargin: true, title: { text: labels.gmv + " " + currency } }
    }, config);
  }
  if (gmv) {
    Object.keys(byCurrency).sort().forEach(function (currency, i) {
      var target = document.createElement("div");
      gmv.appendChild(target);
      gmvChart(target, currency, palette[(i + 2) % palette.length]);
    });
  }
})();
