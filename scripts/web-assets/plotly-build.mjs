// Builds Haat's partial Plotly bundle from scripts/web-assets/plotly-entry.js with esbuild:
//   node plotly-build.mjs entry.js out.js
// The figures page draws static charts (config.staticPlot: true), so the modules below are
// bundled as stubs. Run by scripts/vendor_web_assets.sh; see docs/web.md.
import * as esbuild from 'esbuild';
import path from 'node:path';

// Interactive parts a static chart (config.staticPlot: true) never runs: zoom/pan drag boxes,
// lasso/box selection and its polygon library, shape drawing, the mode bar and its icons.
// Each is replaced by a module whose every export is a do-nothing function.
const STUBBED = [
  'plotly.js/src/plots/cartesian/dragbox.js',
  'plotly.js/src/components/selections/select.js',
  'plotly.js/src/components/selections/draw_newselection/newselections.js',
  'plotly.js/src/components/shapes/draw_newshape/newshapes.js',
  'plotly.js/src/components/modebar/modebar.js',
  'plotly.js/src/components/modebar/buttons.js',
  'plotly.js/src/fonts/ploticon.js',
  'polybooljs',
  'plotly.js/src/components/fx/hover.js', // hover labels (static charts have none)
  'plotly.js/src/components/shapes/draw.js', // layout shapes (the figures have none)
];
const stub = {
  name: 'haat-stub',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      const file = args.path.split(path.sep).join('/');
      if (!STUBBED.some((s) => file.includes('/node_modules/' + s))) return undefined;
      return {
        contents: 'var noop = function () {};\n' +
          'module.exports = new Proxy(noop, { get: function () { return noop; } });\n',
        loader: 'js',
      };
    });
  },
};

const [entry, outfile] = process.argv.slice(2);
await esbuild.build({
  entryPoints: [entry], outfile, bundle: true, minify: true, format: 'iife',
  globalName: 'Plotly', define: { global: 'window' }, legalComments: 'none', logLevel: 'error',
  plugins: [stub],
});
