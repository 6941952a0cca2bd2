// What plotly.js's colour component (src/components/color/index.js) takes from culori, from
// culori's tree-shakeable entry point (culori/fn) with only the colour spaces it converts to:
// rgb (which parses hex, rgb(), named and transparent colours), hsl and lrgb (WCAG luminance).
// The bundle resolves plotly.js's `require('culori')` here instead of culori's full build with
// every colour space (see plotly-build.mjs); Haat's charts give colours as hex.
import { modeHsl, modeLrgb, modeRgb, useMode } from 'culori/fn';

useMode(modeRgb);
useMode(modeHsl);
useMode(modeLrgb);

export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance } from 'culori/fn';
