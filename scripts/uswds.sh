#!/usr/bin/env bash
# Copy the U.S. Web Design System's compiled assets from npm into review_app/static/uswds/.
# Update: `npm install @uswds/uswds@3` (or bump it in package.json), then `bash scripts/uswds.sh`,
# then look at the pages and commit review_app/static/uswds/.
# Only what the site uses is copied: the CSS, the licence, Source Sans Pro (regular, bold and
# their italics: site.css sets every heading in it) and the icons the CSS draws for the
# components we use. Without JavaScript every page works, so uswds.min.js is not copied.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules/@uswds/uswds
dist=$src/dist
out=review_app/static/uswds
[ -f "$dist/css/uswds.min.css" ] || { echo "run 'npm install' first: $dist is missing" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/css" "$out/fonts/source-sans-pro" "$out/img/usa-icons" "$out/img/usa-icons-bg"
cp "$dist/css/uswds.min.css" "$out/css/"
cp "$src/LICENSE.md" "$out/"
node -p "require('./$src/package.json').version" > "$out/VERSION"
for face in regular bold italic bolditalic; do
  cp "$dist/fonts/source-sans-pro/sourcesanspro-$face-webfont.woff2" "$out/fonts/source-sans-pro/"
done
# Icons the compiled CSS points at, minus those of components the site does not use.
grep -o 'url(\.\./img/[^)]*)' "$dist/css/uswds.min.css" | sed 's/^url(\.\.\/img\///; s/)$//' | sort -u |
  grep -Ev '^(hero|loader|file|file-[a-z]+)\.' |
  while read -r icon; do cp "$dist/img/$icon" "$out/img/$icon"; done
echo "USWDS $(cat "$out/VERSION") copied to $out ($(du -sh "$out" | cut -f1))"
