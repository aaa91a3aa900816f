//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall/js"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestIndentJSONMatchesEncodingJSON(t *testing.T) {
	for _, v := range []any{
		map[string]any{},
		[]any{},
		map[string]any{"a": []any{}, "b": map[string]any{}, "c": "x\"y\\z{[,:]}", "d": 1.5e300, "e": nil, "f": true, "g": []any{1, "2", []any{}, map[string]any{"h": "\u2028<>&"}}},
		"\\\"",
		-12,
		[]any{[]any{[]any{}}},
	} {
		var compact, want bytes.Buffer
		enc := json.NewEncoder(&compact)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		enc = json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(v)
		if got := indentJSON(compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%v:\n got %q\nwant %q", v, got, want.Bytes())
		}
	}
}

// TestEncodeReportMatchesCLI: the page's report bytes equal report.Encode
// (what the CLI writes) for the committed samples.
func TestEncodeReportMatchesCLI(t *testing.T) {
	dir := filepath.Join("..", "samples", "small")
	var inputs []container.Input
	for _, name := range []string{"telephony.ab", "telephony-uncompressed.ab", "miui.zip", "dump.zip", "mmssms.db", "contacts.vcf"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, container.Input{Name: name, Files: []container.InputFile{{Size: int64(len(b)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, ReaderAt: bytes.NewReader(b)}}})
	}
	rep, _, err := inspect.Run(context.Background(), inputs, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	got, err := encodeReport(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 10000 || !bytes.Equal(got, want) {
		t.Fatalf("encodeReport differs from report.Encode (%d vs %d bytes)", len(got), len(want))
	}
	// Streamed member by member and element by element (every slice
	// split), in pieces of a few bytes: the same bytes.
	defer func(n, c int) { splitMin, layoutCut = n, c }(splitMin, layoutCut)
	layoutCut = 2000
	for _, min := range []int{1, 64} {
		splitMin = min
		for _, chunk := range []int{7, 1 << 20} {
			var out []byte
			w := newIndenter(chunk, func(p []byte) { out = append(out, p...) })
			layout, err := streamReportLayout(w, rep)
			if err != nil {
				t.Fatal(err)
			}
			w.flush()
			if !bytes.Equal(out, want) {
				t.Fatalf("streamReport (split from %d, pieces of %d) differs from report.Encode (%d vs %d bytes)", min, chunk, len(out), len(want))
			}
			// The layout points at the split arrays' brackets and at
			// commas between their elements.
			var doc map[string]any
			json.Unmarshal(want, &doc)
			cuts := 0
			for _, a := range layout {
				if out[a.Start] != '[' || out[a.End] != ']' {
					t.Fatalf("layout %v: %q .. %q", a.Path, out[a.Start], out[a.End])
				}
				var elems []json.RawMessage
				if err := json.Unmarshal(out[a.Start:a.End+1], &elems); err != nil {
					t.Fatalf("layout %v: %v", a.Path, err)
				}
				v := any(doc)
				for _, k := range a.Path {
					v = v.(map[string]any)[k]
				}
				if len(v.([]any)) != len(elems) || len(elems) < min {
					t.Fatalf("layout %v: %d elements, the report has %d", a.Path, len(elems), len(v.([]any)))
				}
				prev := a.Start
				for _, c := range a.Cuts {
					if c <= prev || c >= a.End || out[c] != ',' {
						t.Fatalf("layout %v: cut at %d", a.Path, c)
					}
					// Whole elements on either side.
					var left []json.RawMessage
					if err := json.Unmarshal(append(append([]byte{'['}, out[prev+1:c]...), ']'), &left); err != nil {
						t.Fatalf("layout %v: cut at %d: %v", a.Path, c, err)
					}
					prev = c
					cuts++
				}
			}
			if min == 1 && (len(layout) < 5 || cuts == 0) {
				t.Fatalf("layout: %d arrays, %d cuts", len(layout), cuts)
			}
		}
		u, err := encodeReportJS(rep)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, u.Length())
		js.CopyBytesToGo(got, u)
		if !bytes.Equal(got, want) {
			t.Fatalf("encodeReportJS (split from %d) differs from report.Encode", min)
		}
	}
}

func BenchmarkEncodeReport(b *testing.B) {
	v := map[string]any{}
	var msgs []any
	for i := 0; i < 20000; i++ {
		msgs = append(msgs, map[string]any{"time": "2024-01-02T03:04:05.678Z", "body": "hello \"world\" \\ {[,:]} 😀", "n": i, "links": []any{}})
	}
	v["messages"] = msgs
	var compact bytes.Buffer
	json.NewEncoder(&compact).Encode(v)
	b.SetBytes(int64(compact.Len()))
	b.Run("indentJSON", func(b *testing.B) {
		for b.Loop() {
			indentJSON(compact.Bytes())
		}
	})
	b.Run("json.Indent", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			json.Indent(&out, compact.Bytes(), "", "  ")
		}
	})
}

func TestEncodeReportJS(t *testing.T) {
	rep := report.New()
	rep.Deleted.Calls = []report.Call{{Number: "+1555"}}
	rep.Deleted.Messages = make([]report.Message, 100)
	for i := 0; i < 12000; i++ {
		rep.Messages = append(rep.Messages, report.Message{Kind: "sms", Body: strings.Repeat("é\"\\", i%100), Address: "+1555"})
	}
	report.Finalize(rep)
	want, _ := report.Encode(rep)
	u, err := encodeReportJS(rep)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, u.Length())
	js.CopyBytesToGo(got, u)
	if len(want) < 2<<20 || !bytes.Equal(got, want) {
		t.Fatalf("encodeReportJS: %d bytes, want %d equal bytes", len(got), len(want))
	}
	// Through a sink (the page's Blob): the same bytes, in pieces of at
	// most the scratch's MiB, with the size and layout returned — here
	// with the event loop's turn awaited after every piece.
	defer func(n int) { yieldBytes = n }(yieldBytes)
	yieldBytes = 1
	var viaSink []byte
	calls, biggest := 0, 0
	sink := js.FuncOf(func(_ js.Value, args []js.Value) any {
		n := args[1].Int()
		b := make([]byte, args[0].Length())
		js.CopyBytesToGo(b, args[0])
		viaSink = append(viaSink, b[:n]...)
		calls++
		biggest = max(biggest, n)
		return nil
	})
	defer sink.Release()
	res, err := encodeReportSink(rep, sink.Value)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(viaSink, want) || res.Get("size").Int() != len(want) || calls < 2 || biggest > 1<<20 {
		t.Fatalf("encodeReportSink: %d bytes (size %d) in %d pieces of at most %d, want %d equal bytes", len(viaSink), res.Get("size").Int(), calls, biggest, len(want))
	}
	var layout []arrayLayout
	if err := json.Unmarshal([]byte(res.Get("layout").String()), &layout); err != nil || len(layout) == 0 {
		t.Fatalf("encodeReportSink layout: %v %v", layout, err)
	}
	for _, a := range layout {
		if want[a.Start] != '[' || want[a.End] != ']' {
			t.Fatalf("encodeReportSink layout %v: %q .. %q", a.Path, want[a.Start], want[a.End])
		}
	}
	// Every array's cuts is a JSON array, [] for one shorter than
	// layoutCut (deleted.messages here): the page's worker drops a layout
	// with anything else and reads the whole report at once.
	var raw []map[string]any
	json.Unmarshal([]byte(res.Get("layout").String()), &raw)
	uncut := 0
	for _, a := range raw {
		cuts, ok := a["cuts"].([]any)
		if !ok {
			t.Fatalf("encodeReportSink layout %v: cuts %#v, want an array", a["path"], a["cuts"])
		}
		if len(cuts) == 0 {
			uncut++
		}
	}
	if uncut == 0 {
		t.Fatalf("encodeReportSink layout: no array without cuts to check")
	}
}
