// Command bundle writes the single self-contained page: it inlines the
// style sheets and scripts named by /*INLINE:name*/ placeholders,
// wasm_exec.js, the wasm module (gzip, base64) and the sample backup
// (base64) into web/src/index.html, then writes the SHA-256 hashes of the
// page's own inline scripts and style sheets into its Content-Security-Policy
// (/*CSP:script-hashes*/, /*CSP:style-hashes*/), so that no other script or
// style — an injected <script>, an onerror= attribute — can run.
//
//	go run ./web/bundle -src web/src -wasm build/app.wasm -wasmexec "$(go env GOROOT)/lib/wasm/wasm_exec.js" -sample samples/small/x -out dist/backup-inspector.html
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	src := flag.String("src", "web/src", "folder with index.html, app.js, worker.js, style.css")
	wasm := flag.String("wasm", "build/app.wasm", "the wasm module")
	wasmExec := flag.String("wasmexec", "", "wasm_exec.js of the Go toolchain that built the module")
	sample := flag.String("sample", "", "the sample backup behind the sample button")
	out := flag.String("out", "dist/backup-inspector.html", "output file")
	flag.Parse()
	if err := run(*src, *wasm, *wasmExec, *sample, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

var placeholder = regexp.MustCompile(`/\*INLINE:([A-Za-z0-9_.-]+)\*/`)

func run(src, wasm, wasmExec, sample, out string) error {
	page, err := os.ReadFile(filepath.Join(src, "index.html"))
	if err != nil {
		return err
	}
	parts := map[string]string{}
	// Every .js and .css file the template names is read from src.
	for _, m := range placeholder.FindAllSubmatch(page, -1) {
		name := string(m[1])
		if !strings.HasSuffix(name, ".js") && !strings.HasSuffix(name, ".css") || name == "wasm_exec.js" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return err
		}
		parts[name] = string(b)
	}
	b, err := os.ReadFile(wasmExec)
	if err != nil {
		return fmt.Errorf("wasm_exec.js: %w", err)
	}
	parts["wasm_exec.js"] = string(b)
	for name, text := range parts {
		if strings.Contains(strings.ToLower(text), "</script") || strings.Contains(strings.ToLower(text), "</style") {
			return fmt.Errorf("%s contains a closing tag and cannot be inlined", name)
		}
	}
	w, err := os.ReadFile(wasm)
	if err != nil {
		return err
	}
	// The module is stored gzip-compressed (5.6 MB → ~1.5 MB); the page
	// inflates it with the browser's DecompressionStream.
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(w)
	if err := zw.Close(); err != nil {
		return err
	}
	parts["wasm.b64"] = base64.StdEncoding.EncodeToString(gz.Bytes())
	if sample != "" {
		s, err := os.ReadFile(sample)
		if err != nil {
			return err
		}
		parts["sample.b64"] = base64.StdEncoding.EncodeToString(s)
		parts["sample.name"] = html.EscapeString(filepath.Base(sample))
	} else {
		parts["sample.b64"], parts["sample.name"] = "", ""
	}
	var missing []string
	result := placeholder.ReplaceAllFunc(page, func(m []byte) []byte {
		name := string(placeholder.FindSubmatch(m)[1])
		v, ok := parts[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return []byte(v)
	})
	if len(missing) > 0 {
		return fmt.Errorf("no content for placeholders %v", missing)
	}
	result, err = withCSPHashes(result)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, result, 0o644); err != nil {
		return err
	}
	if err := checkPolicy(result); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
