#!/usr/bin/env bash
# Rebuild the third-party files the web UI serves (src/haat/web/static/vendor/) from the npm
# registry, at pinned versions: htmx and the Socket.IO client as shipped (versions below), and a
# partial Plotly bundle (static bar charts only) made with esbuild and terser from the packages
# of scripts/web-assets/package.json, every one pinned by its package-lock.json (`npm ci`);
# then a Brotli (.br) and a zopfli-made gzip (.gz) copy of each, which the app serves to
# browsers that accept them. Writes MANIFEST.json (versions, sha256) beside the files;
# tests/web/test_assets.py checks the files against it. Needs node and npm.
set -euo pipefail
HTMX_VERSION=2.0.11
SOCKETIO_VERSION=4.8.1

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../src/haat/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

cd "$work"
npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null
tar xzf "htmx.org-$HTMX_VERSION.tgz"
cp package/dist/htmx.min.js "$out/htmx.min.js"
cp package/LICENSE "$out/htmx.LICENSE"
rm -rf package

# The Socket.IO browser client of the chat pages, without its source-map comment (no map is
# served).
npm pack --silent "socket.io-client@$SOCKETIO_VERSION" >/dev/null
tar xzf "socket.io-client-$SOCKETIO_VERSION.tgz"
grep -v '^//# sourceMappingURL=' package/dist/socket.io.min.js > "$out/socket.io.min.js"
cp package/LICENSE "$out/socket.io.LICENSE"
rm -rf package

cp "$here"/web-assets/{package.json,package-lock.json,plotly-entry.js,plotly-build.mjs,culori-rgb.mjs} .
npm ci --silent --no-audit --no-fund --ignore-scripts >/dev/null 2>&1
version() { node -p "require('./node_modules/$1/package.json').version"; }
PLOTLY_VERSION="$(version plotly.js)"
ESBUILD_VERSION="$(version esbuild)"
TERSER_VERSION="$(version terser)"
node plotly-build.mjs plotly-entry.js plotly.js
{
  echo "/*! plotly.js v$PLOTLY_VERSION, partial bundle (static bar charts) for Haat. MIT licence:"
  echo " * see plotly.LICENSE beside this file. Copyright 2012-2026 Plotly, Inc. */"
  cat plotly.js
} > "$out/plotly-haat.min.js"
cp node_modules/plotly.js/LICENSE "$out/plotly.LICENSE"
# Plotly's own stylesheet rules (build/plotcss.js, "X" is the graph's class) as a file.
node -e '
  const src = require("fs").readFileSync("node_modules/plotly.js/build/plotcss.js", "utf8");
  const rules = new Function("return " + src.slice(src.indexOf("{"), src.indexOf("};") + 1))();
  const out = Object.entries(rules)
    .map(([sel, css]) => sel.replace(/^,/, " ,").replace(/X/g, ".js-plotly-plot .plotly")
      .replace(/Y/g, ".plotly-notifier") + "{" + css + "}");
  process.stdout.write("/* plotly.js '"$PLOTLY_VERSION"' build/plotcss.js rules, MIT */\n" + out.join("\n") + "\n");
' > "$out/plotly-haat.css"

# Precompressed copies: Brotli at its best setting (node's zlib) and gzip made by zopfli (15
# iterations; 3-4 % smaller than gzip -9, read by any gzip decoder), checked to decompress to
# the file.
node -e '
  const fs = require("fs"), zlib = require("zlib"), zopfli = require("@gfx/zopfli");
  const dir = process.argv[1];
  (async () => {
    for (const name of ["htmx.min.js", "socket.io.min.js", "plotly-haat.min.js", "plotly-haat.css"]) {
      const data = fs.readFileSync(dir + "/" + name);
      const br = zlib.brotliCompressSync(data, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
      const gz = Buffer.from(await zopfli.gzipAsync(data, { numiterations: 15 }));
      if (!zlib.brotliDecompressSync(br).equals(data) || !zlib.gunzipSync(gz).equals(data)) {
        throw new Error("a compressed copy of " + name + " does not decompress to it");
      }
      fs.writeFileSync(dir + "/" + name + ".br", br);
      fs.writeFileSync(dir + "/" + name + ".gz", gz);
    }
  })().catch((e) => { console.error(e); process.exit(1); });
' "$out"

cd "$out"
ZOPFLI_VERSION="$(cd "$work" && version @gfx/zopfli)"
python3 - "$HTMX_VERSION" "$PLOTLY_VERSION" "$ESBUILD_VERSION" "$SOCKETIO_VERSION" \
  "$TERSER_VERSION" "$ZOPFLI_VERSION" <<'PY'
import hashlib, json, pathlib, sys
htmx, plotly, esbuild, socketio, terser, zopfli = sys.argv[1:7]
files = {
    "socket.io.min.js": {"package": "socket.io-client", "version": socketio,
                         "licence": "socket.io.LICENSE (MIT)"},
    "htmx.min.js": {"package": "htmx.org", "version": htmx, "licence": "htmx.LICENSE (0BSD)"},
    "plotly-haat.css": {"package": "plotly.js", "version": plotly, "licence": "plotly.LICENSE (MIT)",
                        "built_with": "rules of build/plotcss.js"},
    "plotly-haat.min.js": {
        "package": "plotly.js", "version": plotly, "licence": "plotly.LICENSE (MIT)",
        "built_with": f"esbuild {esbuild} and terser {terser}, scripts/web-assets/plotly-entry.js "
        "and plotly-build.mjs",
    },
}
for entry in files.values():
    entry["gz_made_with"] = f"zopfli (@gfx/zopfli {zopfli}), 15 iterations"
for name, entry in files.items():
    entry["sha256"] = hashlib.sha256(pathlib.Path(name).read_bytes()).hexdigest()
    entry["bytes"] = pathlib.Path(name).stat().st_size
    for suffix in ("br", "gz"):
        entry[f"{suffix}_bytes"] = pathlib.Path(f"{name}.{suffix}").stat().st_size
pathlib.Path("MANIFEST.json").write_text(json.dumps(files, indent=2) + "\n")
PY
ls -l "$out"
