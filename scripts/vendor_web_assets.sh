#!/usr/bin/env bash
# Rebuild the third-party files the web UI serves (src/haat/web/static/vendor/) from the npm
# registry, at the pinned versions below: htmx as shipped, and a partial Plotly bundle (static
# bar and pie charts only) made with esbuild; then a Brotli (.br) and a gzip (.gz) copy of each,
# which the app serves to browsers that accept them. Writes MANIFEST.json (versions, sha256)
# beside the files; tests/web/test_assets.py checks the files against it. Needs node and npm.
set -euo pipefail
HTMX_VERSION=2.0.11
SOCKETIO_VERSION=4.8.1
PLOTLY_VERSION=4.1.1
ESBUILD_VERSION=0.25.12

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

npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts \
  "plotly.js@$PLOTLY_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null 2>&1
cp "$here/web-assets/plotly-entry.js" entry.js
cp "$here/web-assets/plotly-build.mjs" build.mjs
node build.mjs entry.js plotly.js
{
  echo "/*! plotly.js v$PLOTLY_VERSION, partial bundle (static bar, pie) for Haat. MIT licence:"
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

# Precompressed copies: Brotli at its best setting, gzip -9 (node's zlib, no other tool).
node -e '
  const fs = require("fs"), zlib = require("zlib"), dir = process.argv[1];
  for (const name of ["htmx.min.js", "socket.io.min.js", "plotly-haat.min.js", "plotly-haat.css"]) {
    const data = fs.readFileSync(dir + "/" + name);
    fs.writeFileSync(dir + "/" + name + ".br", zlib.brotliCompressSync(data, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    fs.writeFileSync(dir + "/" + name + ".gz", zlib.gzipSync(data, { level: 9 }));
  }
' "$out"

cd "$out"
python3 - "$HTMX_VERSION" "$PLOTLY_VERSION" "$ESBUILD_VERSION" "$SOCKETIO_VERSION" <<'PY'
import hashlib, json, pathlib, sys
htmx, plotly, esbuild, socketio = sys.argv[1:5]
files = {
    "socket.io.min.js": {"package": "socket.io-client", "version": socketio,
                         "licence": "socket.io.LICENSE (MIT)"},
    "htmx.min.js": {"package": "htmx.org", "version": htmx, "licence": "htmx.LICENSE (0BSD)"},
    "plotly-haat.css": {"package": "plotly.js", "version": plotly, "licence": "plotly.LICENSE (MIT)",
                        "built_with": "rules of build/plotcss.js"},
    "plotly-haat.min.js": {
        "package": "plotly.js", "version": plotly, "licence": "plotly.LICENSE (MIT)",
        "built_with": f"esbuild {esbuild}, scripts/web-assets/plotly-entry.js and plotly-build.mjs",
    },
}
for name, entry in files.items():
    entry["sha256"] = hashlib.sha256(pathlib.Path(name).read_bytes()).hexdigest()
    entry["bytes"] = pathlib.Path(name).stat().st_size
    for suffix in ("br", "gz"):
        entry[f"{suffix}_bytes"] = pathlib.Path(f"{name}.{suffix}").stat().st_size
pathlib.Path("MANIFEST.json").write_text(json.dumps(files, indent=2) + "\n")
PY
ls -l "$out"
