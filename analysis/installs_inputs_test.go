package analysis

import (
	"slices"
	"testing"
	"testing/fstest"
)

// TestPipIncludes checks what a requirements file makes pip read from the
// build context: the files it includes, or false where it installs a local
// project or reads a local folder.
func TestPipIncludes(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
		ok   bool
	}{
		{"flask==3.0\n# a comment\n\ngunicorn ; python_version > '3.8'\n", nil, true},
		{"-r base.txt\n--requirement=dev.txt\n-c constraints.txt\n-rother.txt  # pins\n", []string{"base.txt", "dev.txt", "constraints.txt", "other.txt"}, true},
		{"--constraint extra/c.txt\n--index-url https://pypi.example.com/simple\n", []string{"extra/c.txt"}, true},
		{"-e git+https://github.com/org/lib.git#egg=lib\n", nil, true},
		{"lib @ https://example.com/lib-1.0.tar.gz\n", nil, true},
		{"-e .\n", nil, false},
		{"--editable ./libs/a\n", nil, false},
		{"./libs/a\n", nil, false},
		{"lib @ file:///src/lib\n", nil, false},
		{"--find-links ./wheels\nlib\n", nil, false},
		{"-f https://example.com/wheels\nlib\n", nil, true},
		{"-r https://example.com/req.txt\n", nil, false},
	} {
		got, ok := pipIncludes(tc.text)
		if ok != tc.ok || (ok && !slices.Equal(got, tc.want)) {
			t.Errorf("pipIncludes(%q) = %q, %v; want %q, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

// TestManifestsInstallScripts checks that an npm, yarn or pnpm install
// that runs a lifecycle script of the package (or of a workspace member)
// has no manifest-only inputs, unless it runs none.
func TestManifestsInstallScripts(t *testing.T) {
	ctx := func(root, member string) BuildContext {
		fs := fstest.MapFS{"package.json": {Data: []byte(root)}, "package-lock.json": {Data: []byte("{}")}}
		if member != "" {
			fs["packages/a/package.json"] = &fstest.MapFile{Data: []byte(member)}
		}
		return BuildContext{FS: fs}
	}
	install := func(words ...string) Install {
		in, ok := RecognizeInstall(words)
		if !ok {
			t.Fatalf("%v is no install", words)
		}
		return in
	}
	for _, tc := range []struct {
		ctx BuildContext
		in  Install
		ok  bool
	}{
		{ctx(`{"scripts": {"build": "vite build", "test": "vitest"}}`, ""), install("npm", "ci"), true},
		{ctx(`{"scripts": {"postinstall": "node scripts/setup.js"}}`, ""), install("npm", "ci"), false},
		{ctx(`{"scripts": {"prepare": "husky"}}`, ""), install("yarn", "install"), false},
		{ctx(`{"scripts": {"postinstall": "node scripts/setup.js"}}`, ""), install("npm", "ci", "--ignore-scripts"), true},
		{ctx(`{"scripts": {"preinstall": "npx only-allow pnpm"}}`, ""), install("pnpm", "fetch"), true},
		{ctx(`{"workspaces": ["packages/*"]}`, `{"scripts": {"install": "node-gyp rebuild"}}`), install("npm", "ci"), false},
		{ctx(`{"workspaces": ["packages/*"]}`, `{"name": "a"}`), install("npm", "ci"), true},
		{ctx(`not json`, ""), install("npm", "ci"), false},
	} {
		if _, _, ok := tc.ctx.Manifests(tc.in, "."); ok != tc.ok {
			t.Errorf("%v with %s: ok %v, want %v", tc.in.Words, tc.ctx.FS.(fstest.MapFS)["package.json"].Data, ok, tc.ok)
		}
	}
}
