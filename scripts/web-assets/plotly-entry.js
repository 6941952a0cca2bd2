'use strict';
// Haat's partial Plotly bundle: the plot API and components of plotly.js's own core
// (src/core.js) with only the bar and pie traces (no maps, 3-D, WebGL, ...). Built by
// scripts/vendor_web_assets.sh with esbuild; see docs/web.md.
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
Registry.register([
    require('plotly.js/src/components/annotations'),
    require('plotly.js/src/components/annotations3d'),
    require('plotly.js/src/components/selections'),
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/images'),
    require('plotly.js/src/components/updatemenus'),
    require('plotly.js/src/components/sliders'),
    require('plotly.js/src/components/rangeslider'),
    require('plotly.js/src/components/rangeselector'),
    require('plotly.js/src/components/grid'),
    require('plotly.js/src/components/errorbars'),
    require('plotly.js/src/components/colorscale'),
    require('plotly.js/src/components/colorbar'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx'),
    require('plotly.js/src/components/modebar')
]);
Registry.register([require('plotly.js/src/locale-en'), require('plotly.js/src/locale-en-us')]);
Registry.register([require('plotly.js/lib/bar'), require('plotly.js/lib/pie')]);
