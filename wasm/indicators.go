//go:build js && wasm

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"path"
	"strings"
	"syscall/js"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/indicators"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// Indicator files (STIX2 bundles, lists of phone numbers) dropped on the
// page are told apart from backups by their content, loaded with
// parsers/indicators and matched against the last report, exactly as
// `backup-inspector inspect --iocs FILE…` does: they are not inputs of the
// report, only its "indicators" key.
//
//	biIndicatorsProbe(name, bytes, force) → JSON string (probeResult)
//	biIndicatorsMatch(files, hashes, saved) → Promise<{json: Uint8Array, errors: JSON string}>
//
// files is [{name, bytes: Uint8Array}]; hashes is [[placeholder, hex]…],
// the SHA-256 of top-level files computed by the page (hashes.js), which
// the kept report still holds as placeholders; saved is the bytes of a
// report opened from a saved file (there is no kept report then), or null.

// lastReport is the report of the last finished run, kept (under mu) so
// that indicator files loaded later are matched without reading the
// backup again.
var lastReport *report.Report

func init() {
	js.Global().Set("biIndicatorsProbe", js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) < 2 {
			return `{"kind":"","reason":"biIndicatorsProbe: missing arguments"}`
		}
		force := len(a) > 2 && a[2].Truthy()
		b, _ := json.Marshal(probeIndicators(a[0].String(), jsBytes(a[1]), force))
		return string(b)
	}))
	js.Global().Set("biIndicatorsMatch", asyncFunc(indicatorsMatchJS))
}

// probeResult says whether a file is an indicator file and, when it is,
// what loading it gave.
type probeResult struct {
	// Kind is indicators.FormatSTIX2 or indicators.FormatNumberList for an
	// indicator file, "" for anything else (a backup, a saved report).
	Kind   string `json:"kind"`
	Reason string `json:"reason,omitempty"` // why it is (not) taken as indicators
	// Error is set when the file is an indicator file that cannot be used
	// at all (the CLI's --iocs would refuse it).
	Error       string                  `json:"error,omitempty"`
	Bundle      *report.IndicatorBundle `json:"bundle,omitempty"`
	Usable      int                     `json:"usable"`      // usable comparisons
	Unsupported int                     `json:"unsupported"` // entries listed as unsupported
}

// reportSchemaPrefix starts the "schema" of a report this tool wrote.
const reportSchemaPrefix = "backup-inspector.report/"

// probeIndicators decides from the content whether data is an indicator
// file and loads it if so. force (an indicator extension, or the page's
// indicator picker) loads it whatever it holds, so that the user sees why
// it cannot be used rather than having it read as a backup.
func probeIndicators(name string, data []byte, force bool) probeResult {
	force = force || forcedByName(name)
	kind, reason := sniffIndicators(data)
	if kind == "" && !force {
		return probeResult{Reason: reason}
	}
	if kind == "" {
		reason = "chosen as an indicator file, but " + reason
	}
	res := probeResult{Kind: kind, Reason: reason}
	s, err := indicators.Load(name, bytes.NewReader(data))
	if err != nil {
		if res.Kind == "" {
			res.Kind = "invalid"
		}
		res.Error = err.Error()
		return res
	}
	b := s.Bundles()
	if len(b) == 1 {
		res.Bundle = &b[0]
		res.Kind = b[0].Format
	}
	res.Usable = s.Len()
	res.Unsupported = len(s.Unsupported())
	return res
}

// forcedByName reports whether a file name says "indicators" on its own.
func forcedByName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".stix2", ".stix":
		return true
	}
	return false
}

// sniffIndicators tells indicator files from everything else by content:
// a JSON object whose top-level "type" is "bundle" (STIX 2.0/2.1), or a
// text file whose lines are, for at least half of them, phone numbers
// (comments, blank lines and labels aside, as indicators.Load reads them). A report saved by this tool, other JSON, XML, vCards, binary
// files and text that is mostly not numbers are not indicator files.
func sniffIndicators(data []byte) (kind, reason string) {
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return "", "empty"
	}
	switch trimmed[0] {
	case '{':
		typ, schema := topLevelStrings(trimmed)
		switch {
		case strings.HasPrefix(schema, reportSchemaPrefix):
			return "", "a report saved by Backup Inspector"
		case typ == "bundle":
			return indicators.FormatSTIX2, "a STIX2 bundle"
		case typ != "":
			return "", "JSON, but its top-level \"type\" is " + quoteShort(typ) + ", not \"bundle\""
		}
		return "", "JSON, but not a STIX2 bundle (no top-level \"type\": \"bundle\")"
	case '[', '<':
		return "", "not a STIX2 bundle nor a list of phone numbers"
	}
	if bytes.IndexByte(body, 0) >= 0 || !utf8.Valid(body) {
		return "", "binary data"
	}
	total, numbers := 0, 0
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "//") {
			continue
		}
		if k := strings.IndexAny(line, "#,;\t"); k >= 0 {
			line = strings.TrimSpace(line[:k])
		}
		total++
		if _, err := indicators.NormalizePhone(line); err == nil {
			numbers++
		}
	}
	if numbers == 0 {
		return "", "text without a phone number"
	}
	if numbers*2 < total {
		return "", "text whose lines are mostly not phone numbers"
	}
	return indicators.FormatNumberList, "a list of phone numbers"
}

func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// topLevelStrings returns the top-level "type" and "schema" strings of a
// JSON object, reading only as far as needed (values of other members are
// skipped). Malformed JSON stops the scan with what was found so far.
func topLevelStrings(data []byte) (typ, schema string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", ""
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return
		}
		key, _ := t.(string)
		switch key {
		case "type", "schema":
			var v any
			if dec.Decode(&v) != nil {
				return
			}
			s, _ := v.(string)
			if key == "type" {
				typ = s
			} else {
				schema = s
			}
			if typ != "" && schema != "" {
				return
			}
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return
			}
		}
	}
	return
}

// fileError is an indicator file that could not be loaded.
type fileError struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

func indicatorsMatchJS(args []js.Value) (any, error) {
	if len(args) < 1 {
		return nil, errors.New("biIndicatorsMatch: no files")
	}
	files := args[0]
	var sets []*indicators.Set
	errs := []fileError{}
	for i := 0; i < files.Length(); i++ {
		f := files.Index(i)
		name := f.Get("name").String()
		s, err := indicators.Load(name, bytes.NewReader(jsBytes(f.Get("bytes"))))
		if err != nil {
			errs = append(errs, fileError{Name: name, Error: err.Error()})
			continue
		}
		sets = append(sets, s)
	}
	var set *indicators.Set
	if len(sets) > 0 {
		set = indicators.Merge(sets...)
	}
	var u js.Value
	if len(args) > 2 && args[2].Truthy() {
		// A report opened from a saved file: its own bytes, with only the
		// indicators member replaced.
		b, err := matchSaved(jsBytes(args[2]), set)
		if err != nil {
			return nil, err
		}
		u = bytesToJS(b)
	} else {
		mu.Lock()
		rep := lastReport
		mu.Unlock()
		if rep == nil {
			return nil, errors.New("no report to match the indicators with: open a backup first")
		}
		if len(args) > 1 && args[1].Truthy() {
			patchInputHashes(rep, jsPairs(args[1]))
		}
		rep.Indicators = nil
		if set != nil {
			rep.Indicators = set.Match(rep)
		}
		var err error
		if u, err = encodeReportJS(rep); err != nil {
			return nil, err
		}
	}
	eb, _ := json.Marshal(errs)
	out := js.Global().Get("Object").New()
	out.Set("json", u)
	out.Set("errors", string(eb))
	return out, nil
}

// matchSaved matches set with a report saved earlier (its JSON bytes) and
// returns those bytes with the "indicators" member set to the result —
// every other byte as saved, even when an older version wrote the report.
// Without indicator files the saved bytes come back unchanged.
func matchSaved(saved []byte, set *indicators.Set) ([]byte, error) {
	if set == nil {
		return saved, nil
	}
	var rep report.Report
	if err := json.Unmarshal(saved, &rep); err != nil {
		return nil, errors.New("the saved report cannot be read back: " + err.Error())
	}
	return spliceIndicators(saved, set.Match(&rep))
}

// spliceIndicators sets the top-level "indicators" member of a report's
// indented JSON (report.Encode's layout) to ind: replacing the member
// that is there, or adding it before "problems" where report.Encode puts
// it. The value is indented as report.Encode indents it.
func spliceIndicators(doc []byte, ind *report.Indicators) ([]byte, error) {
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ind); err != nil {
		return nil, err
	}
	var val bytes.Buffer
	if err := json.Indent(&val, bytes.TrimRight(compact.Bytes(), "\n"), "  ", "  "); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("the saved report is not a JSON object")
	}
	for dec.More() {
		prevEnd := int(dec.InputOffset())
		t, err := dec.Token()
		if err != nil {
			return nil, errors.New("the saved report cannot be read back: " + err.Error())
		}
		key, _ := t.(string)
		keyStart := bytes.IndexByte(doc[prevEnd:], '"') + prevEnd
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, errors.New("the saved report cannot be read back: " + err.Error())
		}
		end := int(dec.InputOffset())
		var out []byte
		switch key {
		case "indicators":
			out = append(out, doc[:keyStart]...)
			out = append(out, `"indicators": `...)
			out = append(out, val.Bytes()...)
			out = append(out, doc[end:]...)
			return out, nil
		case "problems", "limits":
			// Not there yet: insert it before, in report.Encode's order.
			out = append(out, doc[:keyStart]...)
			out = append(out, `"indicators": `...)
			out = append(out, val.Bytes()...)
			out = append(out, ",\n  "...)
			out = append(out, doc[keyStart:]...)
			return out, nil
		}
	}
	return nil, errors.New("the saved report has no \"problems\" member: not a report this tool wrote")
}

// patchInputHashes replaces the placeholder SHA-256 of top-level files
// (inputs and their entries in files) with the hashes the page computed;
// "" (the hash could not be computed) leaves the field empty, which the
// encoder omits — as hashes.js does to the report's bytes.
func patchInputHashes(rep *report.Report, m map[string]string) {
	if len(m) == 0 {
		return
	}
	for i := range rep.Inputs {
		if v, ok := m[rep.Inputs[i].SHA256]; ok {
			rep.Inputs[i].SHA256 = v
		}
	}
	for i := range rep.Files {
		if v, ok := m[rep.Files[i].SHA256]; ok {
			rep.Files[i].SHA256 = v
		}
	}
}

// jsPairs reads [[key, value]…] into a map.
func jsPairs(v js.Value) map[string]string {
	m := map[string]string{}
	for i := 0; i < v.Length(); i++ {
		p := v.Index(i)
		if p.Length() < 2 || p.Index(0).Type() != js.TypeString {
			continue
		}
		val := ""
		if p.Index(1).Type() == js.TypeString {
			val = p.Index(1).String()
		}
		m[p.Index(0).String()] = val
	}
	return m
}

// jsBytes copies a Uint8Array (or ArrayBuffer) into Go.
func jsBytes(v js.Value) []byte {
	if !v.Truthy() {
		return nil
	}
	if v.InstanceOf(js.Global().Get("ArrayBuffer")) {
		v = js.Global().Get("Uint8Array").New(v)
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}
