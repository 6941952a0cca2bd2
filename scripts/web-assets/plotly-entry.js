'use strict';
// Haat's partial Plotly bundle: the plot API with the bar and pie traces, legend and hover;
// none of the other traces or components (maps, 3-D, sliders, ...). Built by
// scripts/vendor_web_assets.sh with esbuild; see docs/web.md.
require('plotly.js/build/plotcss');
var Registry = require('plotly.js/src/registry');
var plotApi = require('plotly.js/src/plot_api');

exports.version = require('plotly.js/src/version').version;
exports.register = Registry.register;
Object.keys(plotApi).forEach(function(name) {
    if(name.charAt(0) !== '_') exports[name] = plotApi[name];
    Registry.register({moduleType: 'apiMethod', name: name, fn: plotApi[name]});
});
Registry.register(require('plotly.js/src/traces/scatter'));
Registry.register([
    require('plotly.js/src/components/colorscale'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx')
]);
Registry.register([require('plotly.js/src/locale-en'), require('plotly.js/src/locale-en-us')]);
Registry.register([require('plotly.js/lib/bar'), require('plotly.js/lib/pie')]);
