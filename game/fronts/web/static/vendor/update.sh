#!/bin/sh
# Refresh the vendored browser libraries from npm (make vendor). Pinned versions below:
# change one, run this, commit what it wrote. Only the files the pages load are kept.
set -eu
XTERM=6.0.0
FIT=0.11.0
AXE=4.14.1
here=$(cd "$(dirname "$0")" && pwd)
tests=$here/../../../../../tests/game/fronts/web/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@xterm/xterm@$XTERM" "@xterm/addon-fit@$FIT" "axe-core@$AXE" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
cp "xterm-xterm-$XTERM/package/lib/xterm.js" "$here/xterm.js"
cp "xterm-xterm-$XTERM/package/css/xterm.css" "$here/xterm.css"
cp "xterm-xterm-$XTERM/package/LICENSE" "$here/xterm.LICENSE.txt"
cp "xterm-addon-fit-$FIT/package/lib/addon-fit.js" "$here/addon-fit.js"
cp "axe-core-$AXE/package/axe.min.js" "$tests/axe.min.js"
cp "axe-core-$AXE/package/LICENSE" "$tests/axe.LICENSE.txt"
printf '@xterm/xterm %s\n@xterm/addon-fit %s\naxe-core %s\n' "$XTERM" "$FIT" "$AXE" >"$here/VERSIONS"
echo "vendored: @xterm/xterm $XTERM, @xterm/addon-fit $FIT, axe-core $AXE"
