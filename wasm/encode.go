//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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
// Uint8Array without the Go heap (whose wasm memory never shrinks) ever
// holding the report's JSON: the report's members are marshalled one by
// one and its big arrays one element at a time (streamReport), indented
// as they come and copied to JS in 1 MiB pieces, which are joined in JS
// (the page's worker uses encodeReportSink instead).
// Marshalling the whole report at once grew the wasm memory of a 1 GiB
// .ab inspection by ~125 MiB (the encoder's buffer doubling up to the
// 45 MB compact report) and took 1.5-3 s in Chromium.
func encodeReportJS(r *report.Report) (js.Value, error) {
	uint8Array := js.Global().Get("Uint8Array")
	var pieces []js.Value
	total := 0
	layout, err := encodeReportTo(r, func(p []byte) {
		u := uint8Array.New(len(p))
		js.CopyBytesToJS(u, p)
		pieces = append(pieces, u)
		total += len(p)
	})
	if err != nil {
		return js.Value{}, err
	}
	out := uint8Array.New(total)
	off := 0
	for _, p := range pieces {
		out.Call("set", p, off)
		off += p.Length()
	}
	if layout != "" {
		out.Set("layout", layout) // read by worker.js
	}
	return out, nil
}

// encodeReportSink hands the bytes of report.Encode to the JS function
// sink in pieces, sink(scratch, n) with the piece in scratch[0:n) (one
// Uint8Array, reused: the sink copies what it keeps), and returns {size,
// layout}. The page's worker puts the pieces into a Blob as they come,
// which Chromium holds outside the renderer: neither Go nor the worker
// ever holds the whole report's bytes (encodeReportJS joins its pieces:
// twice the report in the renderer until they are collected).
func encodeReportSink(r *report.Report, sink js.Value) (js.Value, error) {
	scratch := js.Global().Get("Uint8Array").New(1 << 20)
	capacity := 1 << 20
	total := 0
	// Every yieldBytes handed over, the worker's event loop gets a turn
	// (a setTimeout(0) awaited): Chromium takes the bytes of the Blobs made
	// so far out of the renderer only then.
	executor := js.FuncOf(func(_ js.Value, a []js.Value) any {
		js.Global().Call("setTimeout", a[0], 0)
		return nil
	})
	defer executor.Release()
	next := yieldBytes
	layout, err := encodeReportTo(r, func(p []byte) {
		for len(p) > 0 {
			n := min(len(p), capacity)
			js.CopyBytesToJS(scratch, p[:n])
			sink.Invoke(scratch, n)
			total += n
			p = p[n:]
			if total >= next {
				next = total + yieldBytes
				await(js.Global().Get("Promise").New(executor))
			}
		}
	})
	if err != nil {
		return js.Value{}, err
	}
	out := js.Global().Get("Object").New()
	out.Set("size", total)
	if layout != "" {
		out.Set("layout", layout)
	}
	return out, nil
}

// encodeReportTo writes report.Encode's bytes to emit in pieces (emit must
// not keep the slice) and returns the layout of its split arrays as JSON
// ("" when the report was encoded at once).
func encodeReportTo(r *report.Report, emit func([]byte)) (string, error) {
	w := newIndenter(1<<20, emit)
	layout, err := streamReportLayout(w, r)
	if err != nil {
		if !errors.Is(err, errNotStreamable) {
			return "", err
		}
		// A report type streamReport does not follow: at once.
		b, err := encodeReport(r)
		if err != nil {
			return "", err
		}
		if len(b) == 0 {
			return "", errors.New("encoding the report wrote nothing")
		}
		emit(b)
		return "", nil
	}
	w.flush()
	if w.pos() == 0 {
		return "", errors.New("encoding the report wrote nothing")
	}
	b, err := json.Marshal(layout)
	if err != nil {
		return "", nil
	}
	return string(b), nil
}

// An arrayLayout says where, in the indented report, one of the arrays
// streamReport split lies: the offsets of its '[' and ']' and of commas
// between its elements about every layoutCut bytes. The page parses the
// report in pieces from these (BI.parseJSONBytes opts.layout) without
// scanning its 50 MB for them.
type arrayLayout struct {
	Path  []string `json:"path"`
	Start int      `json:"start"`
	End   int      `json:"end"`
	Cuts  []int    `json:"cuts"`
}

// layoutCut: the page parses 32 KiB of elements at a time (read 1 MiB of
// pieces at a time: BI.parseJSONBlob). Each piece is a string V8 keeps in
// its young generation and frees at once; bigger ones (a 256 KiB piece
// with any character beyond Latin-1 is a 512 KiB string) go to its
// large-object space until a full collection: 4 MiB → 256 KiB pieces took
// Node's RSS after the parse of a 1 GiB .ab's report +120 → +80 MiB, 256 →
// 32 KiB the renderer's peak while the model of a 1 GiB dump loads 545 →
// 435–490 MiB.
var layoutCut = 32 << 10

// yieldBytes: see encodeReportSink.
var yieldBytes = 8 << 20

// errNotStreamable: the report's type has a field streamReport does not
// follow (an embedded struct, a json option other than omitempty).
var errNotStreamable = errors.New("report not streamable")

// splitMin is the length from which a slice of the report (or of its
// Deleted member) is marshalled one element at a time.
var splitMin = 64

// streamReport writes to w the compact JSON of json.Encoder (HTML not
// escaped) for r, member by member: the same bytes as encoding r at once
// (TestStreamReportMatchesEncode), since encoding/json marshals a struct's
// fields in order and a slice's elements one after the other. Only the
// report's own struct and its Deleted member are walked; every other value
// is marshalled whole by encoding/json.
func streamReport(w *indenter, r *report.Report) error {
	_, err := streamReportLayout(w, r)
	return err
}

// streamReportLayout is streamReport, also returning where the split
// arrays are in the indented output.
func streamReportLayout(w *indenter, r *report.Report) ([]arrayLayout, error) {
	var layout []arrayLayout
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	put := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		b := buf.Bytes()
		w.write(b[:len(b)-1]) // without Encode's newline
		return nil
	}
	var walk func(v reflect.Value, path []string) error
	walk = func(v reflect.Value, path []string) error {
		t := v.Type()
		w.write([]byte{'{'})
		n := 0
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			fv := v.Field(i)
			if opts != "" && opts != "omitempty" || f.Anonymous {
				return fmt.Errorf("%w: field %s, json tag %q", errNotStreamable, f.Name, tag)
			}
			if opts == "omitempty" && isEmptyJSON(fv) {
				continue
			}
			if n > 0 {
				w.write([]byte{','})
			}
			n++
			if err := put(name); err != nil {
				return err
			}
			w.write([]byte{':'})
			switch {
			case f.Type == reflect.TypeFor[report.Deleted]():
				if err := walk(fv, append(path, name)); err != nil {
					return err
				}
			case fv.Kind() == reflect.Slice && fv.Len() >= splitMin:
				// Cuts is never nil: an array shorter than layoutCut
				// has none, and its JSON is [] (null made the page's
				// worker drop the whole layout and read the report at
				// once: a 4 GiB dump's 100-odd files).
				a := arrayLayout{Path: append(append([]string(nil), path...), name), Start: w.pos(), Cuts: []int{}}
				w.write([]byte{'['})
				last := a.Start
				for j := 0; j < fv.Len(); j++ {
					if j > 0 {
						if p := w.pos(); p-last >= layoutCut {
							a.Cuts = append(a.Cuts, p)
							last = p
						}
						w.write([]byte{','})
					}
					if err := put(fv.Index(j).Addr().Interface()); err != nil {
						return err
					}
				}
				w.write([]byte{']'})
				a.End = w.pos() - 1
				layout = append(layout, a)
			default:
				if err := put(fv.Addr().Interface()); err != nil {
					return err
				}
			}
		}
		w.write([]byte{'}'})
		return nil
	}
	if err := walk(reflect.ValueOf(r).Elem(), nil); err != nil {
		return nil, err
	}
	w.write([]byte{'\n'})
	return layout, nil
}

// isEmptyJSON is encoding/json's test for omitempty.
func isEmptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
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
	w := newIndenter(chunk, emit)
	w.write(src)
	w.flush()
}

// An indenter indents compact JSON written to it in pieces that do not
// cut a token (a string, a number, a literal) in two: the output is
// that of indenting the pieces joined, handed to emit in pieces of about
// chunk bytes (emit must not keep the slice). An empty object or array
// must come whole within a piece ("{}", "[]").
type indenter struct {
	dst     []byte
	written int // bytes handed to emit
	chunk   int
	depth   int
	pad     []byte
	emit    func([]byte)
}

func newIndenter(chunk int, emit func([]byte)) *indenter {
	return &indenter{dst: make([]byte, 0, chunk+256), chunk: chunk, pad: []byte("\n" + strings.Repeat(" ", 64)), emit: emit}
}

func (w *indenter) flush() {
	if len(w.dst) > 0 {
		w.emit(w.dst)
		w.written += len(w.dst)
		w.dst = w.dst[:0]
	}
}

// pos is the offset in the output of the next byte.
func (w *indenter) pos() int { return w.written + len(w.dst) }

func (w *indenter) newline() {
	for len(w.pad) < 1+2*w.depth {
		w.pad = append(w.pad, w.pad[1:]...)
	}
	w.dst = append(w.dst, w.pad[:1+2*w.depth]...)
}

func (w *indenter) put(p []byte) {
	for len(p) > 0 {
		if len(w.dst) >= w.chunk {
			w.flush()
		}
		n := min(len(p), w.chunk+256-len(w.dst))
		w.dst = append(w.dst, p[:n]...)
		p = p[n:]
	}
}

func (w *indenter) write(src []byte) {
	for i := 0; i < len(src); i++ {
		if len(w.dst) >= w.chunk {
			w.flush()
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
				w.put(src[i:]) // not valid JSON: copy the rest
				return
			}
			w.put(src[i : j+1])
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				w.dst = append(w.dst, c, src[i+1])
				i++
				continue
			}
			w.dst = append(w.dst, c)
			w.depth++
			w.newline()
		case '}', ']':
			w.depth--
			w.newline()
			w.dst = append(w.dst, c)
		case ',':
			w.dst = append(w.dst, c)
			w.newline()
		case ':':
			w.dst = append(w.dst, ':', ' ')
		default:
			// Numbers, literals and the final newline: copy a run.
			j := i
			for j < len(src) && !isJSONDelim(src[j]) {
				j++
			}
			w.put(src[i:j])
			i = j - 1
		}
	}
}

func isJSONDelim(c byte) bool {
	switch c {
	case '"', '{', '[', '}', ']', ',', ':':
		return true
	}
	return false
}
