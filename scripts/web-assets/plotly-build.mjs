// Builds Haat's partial Plotly bundle from scripts/web-assets/plotly-entry.js:
//   node plotly-build.mjs entry.js out.js
// esbuild bundles it (with the modules below stubbed, culori narrowed, attribute descriptions
// dropped), then terser minifies esbuild's output again (about 5 % smaller gzipped than
// esbuild's minifier alone). Run by scripts/vendor_web_assets.sh; see docs/web.md.
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

// Parts the figures page never runs: its charts are static (config.staticPlot: true) bars
// without legends, shapes, annotations or colour bars, drawn once by Plotly.newPlot and
// redrawn on resize. Each is replaced by a module whose every export is a do-nothing
// function.
const STUBBED = [
  // zoom/pan drag boxes, lasso/box selection and its polygon library, shape drawing
  'plotly.js/src/plots/cartesian/dragbox.js',
  'plotly.js/src/plots/cartesian/graph_interact.js',
  'plotly.js/src/components/dragelement/index.js',
  'plotly.js/src/components/selections/select.js',
  'plotly.js/src/components/selections/draw.js',
  'plotly.js/src/components/selections/draw_newselection/newselections.js',
  'plotly.js/src/components/shapes/draw_newshape/newshapes.js',
  'plotly.js/src/components/shapes/display_outlines.js',
  'plotly.js/src/components/shapes/display_labels.js',
  'polybooljs',
  // the mode bar and its icons
  'plotly.js/src/components/modebar/modebar.js',
  'plotly.js/src/components/modebar/buttons.js',
  'plotly.js/src/components/modebar/manage.js',
  'plotly.js/src/fonts/ploticon.js',
  // hover labels and per-trace hover and selection handlers
  'plotly.js/src/components/fx/hover.js',
  'plotly.js/src/traces/bar/hover.js',
  'plotly.js/src/traces/bar/select.js',
  'plotly.js/src/traces/scatter/hover.js',
  'plotly.js/src/traces/scatter/select.js',
  // drawing of layout shapes and of legends (the charts set showlegend: false)
  'plotly.js/src/components/shapes/draw.js',
  'plotly.js/src/components/legend/draw.js',
  'plotly.js/src/components/legend/style.js',
  'plotly.js/src/components/legend/handle_click.js',
  'plotly.js/src/components/legend/get_legend_data.js',
  // scatter trace drawing and marker symbols (scatter stays registered as the base trace
  // type whose attributes bar extends, but no scatter trace is drawn)
  'plotly.js/src/traces/scatter/plot.js',
  'plotly.js/src/traces/scatter/line_points.js',
  'plotly.js/src/components/drawing/symbol_defs.js',
  // 4x4 matrices (CSS-transform maths of hover and drag, 3-D)
  'gl-mat4/',
  // APIs the page does not call: images, validation, templates, animation, slider and
  // menu command bindings
  'plotly.js/src/plot_api/to_image.js',
  'plotly.js/src/snapshot/download.js',
  'plotly.js/src/plot_api/validate.js',
  'plotly.js/src/plot_api/template_api.js',
  'plotly.js/src/plots/cartesian/transition_axes.js',
  'plotly.js/src/plots/command.js',
];
const STUB =
  'var noop = function () {};\n' +
  'module.exports = new Proxy(noop, { get: function () { return noop; } });\n';
const CULORI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'culori-rgb.mjs');

// The `description` of every attribute is documentation (Plotly.PlotSchema.get), never read
// to draw: its value becomes '' in plotly.js's sources, found with acorn's parser.
function withoutDescriptions(source) {
  const values = [];
  walk.full(acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'script' }), (node) => {
    const key = node.type === 'Property' && !node.computed && node.key;
    if (key && (key.name === 'description' || key.value === 'description')) values.push(node.value);
  });
  let out = source;
  let before = Infinity;
  for (const value of values.sort((a, b) => b.start - a.start)) {
    if (value.end > before) continue; // inside a description already dropped
    out = out.slice(0, value.start) + "''" + out.slice(value.end);
    before = value.start;
  }
  return out;
}

const haat = {
  name: 'haat-partial-plotly',
  setup(build) {
    build.onResolve({ filter: /^culori$/ }, () => ({ path: CULORI }));
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const file = args.path.split(path.sep).join('/');
      if (STUBBED.some((s) => file.includes('/node_modules/' + s))) {
        return { contents: STUB, loader: 'js' };
      }
      if (!file.includes('/node_modules/plotly.js/src/')) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      return { contents: source.includes('description') ? withoutDescriptions(source) : source, loader: 'js' };
    });
  },
};

const [entry, outfile] = process.argv.slice(2);
const bundled = await esbuild.build({
  entryPoints: [entry], bundle: true, minify: true, format: 'iife', write: false,
  globalName: 'Plotly', define: { global: 'window' }, legalComments: 'none', logLevel: 'error',
  // The only stylesheet required is MapLibre's, for map traces (not bundled): left empty.
  loader: { '.css': 'empty' }, plugins: [haat],
});
const minified = await minify(bundled.outputFiles[0].text, {
  compress: { passes: 2 }, mangle: true, format: { comments: false },
});
fs.writeFileSync(outfile, minified.code);
