// The README's install line names the file package.sh makes; run with
// `node --test test/`.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const pkg = require('../package.json');

test('the README installs the .vsix that ./package.sh linux-x64 makes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const script = fs.readFileSync(path.join(__dirname, '..', 'package.sh'), 'utf8');
  const m = /^code --install-extension (\S+)$/m.exec(readme);
  assert.ok(m, 'no `code --install-extension` line in README.md');
  // package.sh names platform packages "$out/stagehand-$target-$version.vsix".
  assert.match(script, /-o "\$out\/stagehand-\$target-\$version\.vsix"/);
  assert.equal(m[1], `dist-vsix/stagehand-linux-x64-${pkg.version}.vsix`);
  assert.ok(readme.includes('./package.sh linux-x64'), 'README.md does not say how to build it');
});
