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
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/indicators"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

var (
	smallDir = filepath.Join("..", "samples", "small")
	iocDir   = filepath.Join("..", "parsers", "indicators", "testdata")
)

func readTest(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSniffIndicators: indicator files are recognised by their content,
// and no backup, database, XML, vCard or saved report is taken for one.
func TestSniffIndicators(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"testspy.stix2", readTest(t, filepath.Join(iocDir, "testspy.stix2")), indicators.FormatSTIX2},
		{"numbers.txt", readTest(t, filepath.Join(iocDir, "numbers.txt")), indicators.FormatNumberList},
		{"saved report", readTest(t, filepath.Join(iocDir, "telephony-report.json")), ""},
		{"contacts.vcf", readTest(t, filepath.Join(smallDir, "contacts.vcf")), ""},
		{"sms xml", readTest(t, filepath.Join(smallDir, "smsbr", "sms-20240914161418.xml")), ""},
		{"calls xml", readTest(t, filepath.Join(smallDir, "smsbr", "calls-20240914161418.xml")), ""},
		{"miui.zip", readTest(t, filepath.Join(smallDir, "miui.zip")), ""},
		{"telephony.ab", readTest(t, filepath.Join(smallDir, "telephony.ab")), ""},
		{"telephony-uncompressed.ab", readTest(t, filepath.Join(smallDir, "telephony-uncompressed.ab")), ""},
		{"mmssms.db", readTest(t, filepath.Join(smallDir, "mmssms.db")), ""},
		{"dump.zip", readTest(t, filepath.Join(smallDir, "dump.zip")), ""},
		{"truth json", readTest(t, filepath.Join(smallDir, "mmssms.db.truth.json")), ""},
		{"bundle, type last", []byte(` {"objects": [{"type": "indicator"}], "id": "bundle--1", "type": "bundle"}`), indicators.FormatSTIX2},
		{"bundle with BOM", []byte("\xef\xbb\xbf\n{\"type\":\"bundle\"}"), indicators.FormatSTIX2},
		{"bundle, broken later", []byte(`{"type": "bundle", "objects": [{"type": `), indicators.FormatSTIX2},
		{"other STIX object", []byte(`{"type": "malware", "name": "x"}`), ""},
		{"report first, type later", []byte(`{"schema": "backup-inspector.report/1", "type": "bundle"}`), ""},
		{"JSON array", []byte(`[{"type": "bundle"}]`), ""},
		{"empty", nil, ""},
		{"blank", []byte(" \n\t\n"), ""},
		{"ab header", []byte("ANDROID BACKUP\n5\n1\nnone\n"), ""},
		{"getprop", []byte("[ro.product.model]: [Mi 11]\n[gsm.sim.operator.numeric]: [25001]\n"), ""},
		{"one number among words", []byte("hello\nworld\n+447700900123\nmore words\n"), ""},
		{"numbers with comments", []byte("# list\n\n+447700900123\n+33 6 12 34 56 78 # label\n// note\n"), indicators.FormatNumberList},
		{"binary", []byte("+447700900123\n\x00\x01"), ""},
	} {
		got, reason := sniffIndicators(c.data)
		if got != c.want {
			t.Errorf("%s: sniffed %q (%s), want %q", c.name, got, reason, c.want)
		}
		if reason == "" {
			t.Errorf("%s: no reason given", c.name)
		}
	}
}

// TestProbeIndicators: a probed indicator file is loaded (bundle facts,
// usable and unsupported counts); a forced file that is not one says why.
func TestProbeIndicators(t *testing.T) {
	p := probeIndicators("testspy.stix2", readTest(t, filepath.Join(iocDir, "testspy.stix2")), false)
	if p.Kind != indicators.FormatSTIX2 || p.Error != "" || p.Bundle == nil || p.Bundle.Name != "testspy.stix2" || p.Usable == 0 || p.Unsupported == 0 {
		t.Errorf("testspy: %+v", p)
	}
	p = probeIndicators("contacts.vcf", readTest(t, filepath.Join(smallDir, "contacts.vcf")), false)
	if p.Kind != "" || p.Error != "" || p.Bundle != nil {
		t.Errorf("vcf probed as indicators: %+v", p)
	}
	// Forced by the picker, or by the extension: loaded, and the error says why.
	p = probeIndicators("contacts.vcf", readTest(t, filepath.Join(smallDir, "contacts.vcf")), true)
	if p.Kind == "" || p.Error == "" || !strings.Contains(p.Reason, "chosen as an indicator file") {
		t.Errorf("forced vcf: %+v", p)
	}
	p = probeIndicators("feed.stix", []byte(`{"type": "indicator"}`), false)
	if p.Error == "" || !strings.Contains(p.Error, "not a STIX2 bundle") {
		t.Errorf(".stix without a bundle: %+v", p)
	}
	p = probeIndicators("broken.json", []byte(`{"type": "bundle", "objects": [`), false)
	if p.Kind != indicators.FormatSTIX2 || p.Error == "" {
		t.Errorf("broken bundle: %+v", p)
	}
}

func runSamples(t *testing.T, names []string, supplied map[string]string) *report.Report {
	t.Helper()
	var inputs []container.Input
	for _, name := range names {
		b := readTest(t, filepath.Join(smallDir, name))
		f := container.InputFile{Size: int64(len(b)),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, ReaderAt: bytes.NewReader(b)}
		if s, ok := supplied[name]; ok {
			f.SHA256 = func() string { return s }
		}
		inputs = append(inputs, container.Input{Name: name, Files: []container.InputFile{f}})
	}
	rep, _, err := inspect.Run(context.Background(), inputs, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestMatchAfterHashes: a report whose top-level hashes were placeholders
// (the page hashes in parallel) matches and encodes like the CLI's once
// the hashes are patched in — including a file:hashes.sha256 indicator
// naming a top-level input.
func TestMatchAfterHashes(t *testing.T) {
	names := []string{"miui.zip", "contacts.vcf"}
	want := runSamples(t, names, nil)
	var vcfHash string
	for _, in := range want.Inputs {
		if in.Name == "contacts.vcf" {
			vcfHash = in.SHA256
		}
	}
	if len(vcfHash) != 64 {
		t.Fatalf("no hash of contacts.vcf in %+v", want.Inputs)
	}
	bundle := `{"type": "bundle", "id": "bundle--1", "objects": [
	  {"type": "malware", "id": "malware--1", "name": "Test"},
	  {"type": "indicator", "id": "indicator--1", "pattern": "[file:hashes.sha256 = '` + vcfHash + `']", "pattern_type": "stix"},
	  {"type": "indicator", "id": "indicator--2", "pattern": "[app:id = 'com.whatsapp']", "pattern_type": "stix"},
	  {"type": "relationship", "id": "relationship--1", "relationship_type": "indicates", "source_ref": "indicator--1", "target_ref": "malware--1"}]}`
	set, err := indicators.Load("t.stix2", strings.NewReader(bundle))
	if err != nil {
		t.Fatal(err)
	}
	want.Indicators = set.Match(want)
	if len(want.Indicators.Matches) < 2 {
		t.Fatalf("test bundle should match the input hash and the app: %+v", want.Indicators.Matches)
	}
	wantJSON, _ := report.Encode(want)

	ph := map[string]string{"miui.zip": strings.Repeat("1", 64), "contacts.vcf": strings.Repeat("2", 64)}
	got := runSamples(t, names, ph)
	patch := map[string]string{}
	for _, in := range want.Inputs {
		patch[ph[in.Name]] = in.SHA256
	}
	patchInputHashes(got, patch)
	got.Indicators = set.Match(got)
	gotJSON, _ := report.Encode(got)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Fatalf("matched after patching the hashes: %d bytes, the CLI's way %d bytes", len(gotJSON), len(wantJSON))
	}

	// A hash that could not be computed ("") is dropped, as hashes.js does.
	again := runSamples(t, names, ph)
	patchInputHashes(again, map[string]string{ph["contacts.vcf"]: ""})
	for _, in := range again.Inputs {
		if in.Name == "contacts.vcf" && in.SHA256 != "" {
			t.Errorf("uncomputed hash kept: %q", in.SHA256)
		}
	}
}

// TestMatchSaved: matching a saved report keeps its bytes and sets only
// the "indicators" member — the CLI's bytes for a report this version
// wrote, the old bytes plus the member for an older report — and without
// indicator files gives the saved bytes back.
func TestMatchSaved(t *testing.T) {
	set, err := indicators.Load("testspy.stix2", bytes.NewReader(readTest(t, filepath.Join(iocDir, "testspy.stix2"))))
	if err != nil {
		t.Fatal(err)
	}
	rep := runSamples(t, []string{"telephony.ab", "miui.zip", "dump.zip", "mmssms.db", "contacts.vcf"}, nil)
	orig, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	rep.Indicators = set.Match(rep)
	cli, _ := report.Encode(rep)
	got, err := matchSaved(orig, set)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, cli) {
		t.Fatalf("saved report matched: %d bytes, the CLI's --iocs %d bytes", len(got), len(cli))
	}
	// Matching it again replaces the member: same bytes.
	if again, err := matchSaved(got, set); err != nil || !bytes.Equal(again, cli) {
		t.Fatalf("matching the matched report again changed it (%v)", err)
	}
	if same, _ := matchSaved(orig, nil); !bytes.Equal(same, orig) {
		t.Fatal("no indicator files: the saved bytes must come back unchanged")
	}

	// An older report (fewer fields): every old byte stays.
	old := readTest(t, filepath.Join(iocDir, "telephony-report.json"))
	got, err = matchSaved(old, set)
	if err != nil {
		t.Fatal(err)
	}
	k := bytes.Index(old, []byte("\n  \"problems\": ")) + 3
	start := bytes.Index(got, []byte(`"indicators": `))
	if k < 3 || start != k {
		t.Fatalf("indicators inserted at %d, want %d (before problems)", start, k)
	}
	var back struct {
		Indicators *report.Indicators `json:"indicators"`
	}
	if err := json.Unmarshal(got, &back); err != nil || back.Indicators == nil || len(back.Indicators.Bundles) != 1 {
		t.Fatalf("spliced report: %v %+v", err, back.Indicators)
	}
	var mb bytes.Buffer
	enc := json.NewEncoder(&mb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	enc.Encode(back.Indicators)
	member := bytes.TrimSuffix(mb.Bytes(), []byte("\n"))
	rebuilt := append(append(append(append([]byte{}, old[:k]...), `"indicators": `...), member...), ",\n  "...)
	rebuilt = append(rebuilt, old[k:]...)
	if !bytes.Equal(got, rebuilt) {
		t.Fatal("the old report's bytes changed beyond the indicators member")
	}
}
