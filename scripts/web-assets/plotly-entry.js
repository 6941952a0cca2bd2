'use strict';
// Haat's partial Plotly bundle: the plot API, the bar trace and the few components of
// plotly.js's own core (src/core.js) that static bar charts need (no maps, 3-D, WebGL,
// annotations, selections, sliders, menus, range tools, error bars, colour bars, images,
// grids). Built by scripts/vendor_web_assets.sh with plotly-build.mjs (esbuild and terser,
// interactive modules and legend drawing stubbed); see docs/web.md.
//
// Left out on purpose: build/plotcss, which injects a <style> element at load (refused by
// Haat's Content-Security-Policy); the vendor script writes the same rules to
// plotly-haat.css, which the figures page links.
var Registry = require('plotly.js/src/registry');
var plotApi = require('plotly.js/src/plot_api');

exports.version = require('plotly.js/src/version').version;
exports.register = Registry.register;
Object.keys(plotApi).forEach(function(name) {
    if(name.charAt(0) !== '_') exports[name] = plotApi[name];
    Registry.register({moduleType: 'apiMethod', name: name, fn: plotApi[name]});
});
Registry.register(require('plotly.js/src/traces/scatter'));
// The components, in the order core.js registers them (legend after shapes, fx after legend).
// Relayout (on resize) reads the layout's shapes, the layout's legend and modebar attributes
// are read even when neither is shown, so these stay registered (their drawing code is
// stubbed).
Registry.register([
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/colorscale'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx'),
    require('plotly.js/src/components/modebar')
]);
Registry.register([require('plotly.js/src/locale-en'), require('plotly.js/src/locale-en-us')]);
Registry.register(require('plotly.js/lib/bar'));
