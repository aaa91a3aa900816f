package main

import (
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src /*CSP:script-hashes*/ 'wasm-unsafe-eval'; style-src /*CSP:style-hashes*/">`

func TestCSPHashes(t *testing.T) {
	app := "\nconst a = '<b>';\r\nif (a < 2) {}\n"
	page := "<!doctype html><html><head>" + policy + "<style>\nbody{color:red}\n</style></head><body>" +
		`<script type="text/plain" id="w">self.onmessage = () => {}</script>` +
		`<script type="application/octet-stream">AAAA</script>` +
		"<script>" + app + "</script><script type=module>m()</script><script>" + app + "</script></body></html>"
	out, err := withCSPHashes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`script-src ([^;]*); style-src ([^"]*)"`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no policy in %s", out)
	}
	// the browser hashes the text after CR LF became LF; a script in
	// twice is listed once; data blocks (text/plain, octet-stream) are not
	// scripts and get no hash
	wantScripts := hashOf(strings.ReplaceAll(app, "\r\n", "\n")) + " " + hashOf("m()") + " 'wasm-unsafe-eval'"
	if m[1] != wantScripts {
		t.Errorf("script-src %s, want %s", m[1], wantScripts)
	}
	if want := hashOf("\nbody{color:red}\n"); m[2] != want {
		t.Errorf("style-src %s, want %s", m[2], want)
	}
	if err := checkPolicy(out); err != nil {
		t.Error(err)
	}
}

func TestCSPRefusesWhatThePolicyBlocks(t *testing.T) {
	head := "<!doctype html><html><head>" + policy + "</head><body>"
	for name, body := range map[string]string{
		"event handler":  `<button onclick="go()">x</button><script>1</script>`,
		"event handler2": `<img src=x OnError=go()><script>1</script>`,
		"style attr":     `<p style="color:red">x</p><script>1</script>`,
		"javascript url": `<a href=" JavaScript:go()">x</a><script>1</script>`,
		"script src":     `<script src="x.js"></script><script>1</script>`,
		"no script":      `<p>x</p>`,
	} {
		if _, err := withCSPHashes([]byte(head + body + "</body></html>")); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, page := range map[string]string{
		"unsafe-inline":  `<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x' 'unsafe-inline'"></head></html>`,
		"no hash":        `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head></html>`,
		"script first":   `<html><head><script>1</script><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x'"></head></html>`,
		"no policy":      `<html><head></head><body><script>1</script></body></html>`,
		"placeholder":    `<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x'; style-src /*CSP:style-hashes*/"></head></html>`,
		"unsafe-hashes":  `<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x' 'unsafe-hashes'"></head></html>`,
		"unsafe-eval":    `<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x' 'unsafe-eval'"></head></html>`,
		"style too open": `<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'sha256-x'; style-src 'unsafe-inline'"></head></html>`,
	} {
		if err := checkPolicy([]byte(page)); err == nil {
			t.Errorf("%s: policy accepted", name)
		}
	}
}

// The real template bundles into a page whose policy holds the hash of its
// one inline script and style sheet.
func TestBundleTemplate(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"wasm", "exec.js", "sample.bin"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	out := filepath.Join(dir, "page.html")
	if err := run("../src", filepath.Join(dir, "wasm"), filepath.Join(dir, "exec.js"), filepath.Join(dir, "sample.bin"), out); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	scripts, styles, err := inlineHashes(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) != 1 || len(styles) != 1 {
		t.Fatalf("%d scripts and %d style sheets hashed, want 1 and 1", len(scripts), len(styles))
	}
	if !strings.Contains(string(b), "script-src "+scripts[0]+" 'wasm-unsafe-eval'") || !strings.Contains(string(b), "style-src "+styles[0]+";") {
		t.Errorf("the policy does not hold the hashes %v %v", scripts, styles)
	}
}
