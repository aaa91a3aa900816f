//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// encodeReport writes exactly the bytes of report.Encode (the CLI's
// --json) faster in wasm: encoding/json's indenter runs its scanner state
// machine once per byte, which took ~1/4 of a 1 GiB inspection's CPU in
// wasm. The report is marshalled compactly and indented by indentJSON.
func encodeReport(r *report.Report) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return indentJSON(buf.Bytes()), nil
}

// encodeReportJS returns the bytes of report.Encode as a new JS
// Uint8Array, indenting straight into it in 1 MiB pieces so that the Go
// heap (whose wasm memory never shrinks) never holds the indented copy.
func encodeReportJS(r *report.Report) (js.Value, error) {
	// The Encoder hands its whole compact output to Write at once: indent
	// it from there rather than copying it into a buffer first.
	w := &jsIndentWriter{}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return js.Value{}, err
	}
	if !w.u.Truthy() {
		return js.Value{}, errors.New("encoding the report wrote nothing")
	}
	return w.u, nil
}

// jsIndentWriter indents what is written to it (one json.Encoder output)
// into a new JS Uint8Array u.
type jsIndentWriter struct{ u js.Value }

func (w *jsIndentWriter) Write(src []byte) (int, error) {
	if w.u.Truthy() {
		return 0, errors.New("jsIndentWriter: more than one write")
	}
	w.u = indentToJS(src)
	return len(src), nil
}

// indentToJS indents src straight into a new JS Uint8Array.
func indentToJS(src []byte) js.Value {
	n := 0
	indent(src, 1<<20, func(p []byte) { n += len(p) })
	u := js.Global().Get("Uint8Array").New(n)
	off := 0
	indent(src, 1<<20, func(p []byte) {
		js.CopyBytesToJS(u.Call("subarray", off, off+len(p)), p)
		off += len(p)
	})
	return u
}

// indentJSON indents compact, valid JSON (json.Encoder output: no
// whitespace between tokens, a final newline) with two spaces, exactly as
// json.Indent(dst, src, "", "  ") does: empty objects and arrays stay "{}"
// and "[]", ": " after keys, strings copied as they are.
func indentJSON(src []byte) []byte {
	var out []byte
	indent(src, 1<<20, func(p []byte) { out = append(out, p...) })
	return out
}

// indent indents src as indentJSON does, handing the output to emit in
// pieces of about chunk bytes (emit must not keep the slice).
func indent(src []byte, chunk int, emit func([]byte)) {
	dst := make([]byte, 0, chunk+256)
	flush := func() {
		if len(dst) > 0 {
			emit(dst)
			dst = dst[:0]
		}
	}
	depth := 0
	pad := []byte("\n" + strings.Repeat(" ", 64))
	newline := func() {
		for len(pad) < 1+2*depth {
			pad = append(pad, pad[1:]...)
		}
		dst = append(dst, pad[:1+2*depth]...)
	}
	put := func(p []byte) {
		for len(p) > 0 {
			if len(dst) >= chunk {
				flush()
			}
			n := min(len(p), chunk+256-len(dst))
			dst = append(dst, p[:n]...)
			p = p[n:]
		}
	}
	for i := 0; i < len(src); i++ {
		if len(dst) >= chunk {
			flush()
		}
		c := src[i]
		switch c {
		case '"':
			// Copy the string through its closing quote.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				put(src[i:]) // not valid JSON: copy the rest
				flush()
				return
			}
			put(src[i : j+1])
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			dst = append(dst, c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			// Numbers, literals and the final newline: copy a run.
			j := i
			for j < len(src) && !isJSONDelim(src[j]) {
				j++
			}
			put(src[i:j])
			i = j - 1
		}
	}
	flush()
}

func isJSONDelim(c byte) bool {
	switch c {
	case '"', '{', '[', '}', ']', ',', ':':
		return true
	}
	return false
}
