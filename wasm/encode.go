//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"strings"

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

// indentJSON indents compact, valid JSON (json.Encoder output: no
// whitespace between tokens, a final newline) with two spaces, exactly as
// json.Indent(dst, src, "", "  ") does: empty objects and arrays stay "{}"
// and "[]", ": " after keys, strings copied as they are.
func indentJSON(src []byte) []byte {
	dst := make([]byte, 0, len(src)+len(src)/2)
	depth := 0
	pad := []byte("\n" + strings.Repeat(" ", 64))
	newline := func() {
		for len(pad) < 1+2*depth {
			pad = append(pad, pad[1:]...)
		}
		dst = append(dst, pad[:1+2*depth]...)
	}
	for i := 0; i < len(src); i++ {
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
				return append(dst, src[i:]...) // not valid JSON: copy the rest
			}
			dst = append(dst, src[i:j+1]...)
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
			dst = append(dst, src[i:j]...)
			i = j - 1
		}
	}
	return dst
}

func isJSONDelim(c byte) bool {
	switch c {
	case '"', '{', '[', '}', ']', ',', ':':
		return true
	}
	return false
}
