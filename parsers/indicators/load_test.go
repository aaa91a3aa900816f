package indicators

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, data string
		is         error
		offset     int64
		line       int
		reason     string
	}{
		{"bad.json", `{"type": "bundle", "objects": [}`, ErrUnknownFormat, 32, 0, "not valid JSON"},
		{"bom.json", "\xef\xbb\xbf{\"type\": 1,}", ErrUnknownFormat, 15, 0, "not valid JSON"},
		{"obj.json", `{"type": "identity", "name": "x"}`, ErrUnknownFormat, -1, 0, `"type" is "identity"`},
		{"arr.json", `[{"type": "indicator"}]`, ErrUnknownFormat, 1, 0, "JSON array"},
		{"objs.json", `{"type": "bundle", "objects": {}}`, ErrUnknownFormat, -1, 0, "not a list"},
		{"bin.dat", "PK\x03\x04\x00\x00", ErrUnknownFormat, 4, 0, "binary"},
		{"latin1.txt", "+7926\xe91234567\n", ErrUnknownFormat, 5, 0, "binary"},
		{"empty.txt", "", ErrUnknownFormat, -1, 0, "empty"},
		{"comments.txt", "# nothing\n\n// here\n", ErrUnknownFormat, -1, 0, "empty"},
		{"prose.txt", "Dear reader,\nthis is a letter.\n", ErrUnknownFormat, -1, 1, "E.164"},
	}
	for _, tt := range tests {
		s, err := Load(tt.name, strings.NewReader(tt.data))
		if err == nil {
			t.Errorf("%s: loaded %+v", tt.name, s.Bundles())
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, tt.is) {
			t.Errorf("%s: %T %v", tt.name, err, err)
			continue
		}
		if fe.Name != tt.name || fe.Offset != tt.offset || fe.Line != tt.line || !strings.Contains(fe.Reason, tt.reason) {
			t.Errorf("%s: %+v; want offset %d line %d reason ~%q", tt.name, fe, tt.offset, tt.line, tt.reason)
		}
		if !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s: error %q does not name the file", tt.name, err)
		}
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestLoadLimits(t *testing.T) {
	_, err := Load("huge.json", endless{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("endless input: %v", err)
	}
	_, err = Load("broken", failing{})
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "read error") {
		t.Errorf("read error: %v", err)
	}
	// A number list with many bad lines lists at most MaxListedLines.
	var b strings.Builder
	b.WriteString("+79261234567\n")
	for i := 0; i < MaxListedLines+50; i++ {
		fmt.Fprintf(&b, "bad line %d\n", i)
	}
	s, err := Load("many.txt", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	u := s.Unsupported()
	if len(u) != MaxListedLines+1 || !strings.Contains(u[len(u)-1].Reason, "50 more unusable lines") {
		t.Errorf("%d entries, last %+v", len(u), u[len(u)-1])
	}
	if bs := s.Bundles(); bs[0].Indicators != MaxListedLines+51 || bs[0].Used != 1 {
		t.Errorf("bundle %+v", bs[0])
	}
}

func TestLoadSniffAndSummary(t *testing.T) {
	stix := "\xef\xbb\xbf\n  " + `{"type":"bundle","id":"bundle--x","spec_version":"2.0","objects":[
		{"type":"indicator","id":"indicator--1","labels":["malicious-activity"],"pattern":"[domain-name:value = 'a.example']"},
		{"type":"indicator","id":"indicator--2","pattern":"[domain-name:value = 'b.example']","pattern_type":"stix","name":7},
		"not an object",
		{"type":"threat-actor","id":"threat-actor--1","name":"Actor"},
		{"type":"relationship","relationship_type":"indicates","source_ref":"indicator--2","target_ref":"threat-actor--1"},
		{"type":"relationship","relationship_type":"indicates","source_ref":"identity--1","target_ref":"threat-actor--1"},
		{"type":"relationship","relationship_type":"indicates","source_ref":"indicator--1","target_ref":"identity--9"}]}`
	s, err := Load("v20.json", strings.NewReader(stix))
	if err != nil {
		t.Fatal(err)
	}
	b := s.Bundles()[0]
	if b.Format != FormatSTIX2 || b.Indicators != 2 || b.Used != 2 || b.Unsupported != 1 || b.Size != int64(len(stix)) {
		t.Errorf("bundle %+v", b)
	}
	if len(b.Collections) != 1 || b.Collections[0].Name != "Actor" || b.Collections[0].Indicators != 1 {
		t.Errorf("collections %+v", b.Collections)
	}
	if u := s.Unsupported(); len(u) != 1 || !strings.Contains(u[0].Reason, "objects[2] is not a JSON object") {
		t.Errorf("unsupported %+v", u)
	}
	if s.Len() != 2 {
		t.Errorf("Len %d", s.Len())
	}
	// The same file as a number list sniffed from text.
	s, err = Load("n.txt", strings.NewReader("\r\n+1 212 555 0100\r\n"))
	if err != nil || s.Bundles()[0].Format != FormatNumberList || s.Len() != 1 {
		t.Fatalf("number list: %v %+v", err, s.Bundles())
	}
	// SHA-256 of the file as given.
	data := []byte("\xef\xbb\xbf+12125550100\n")
	s1, _ := Load("a", bytes.NewReader(data))
	if got, want := s1.Bundles()[0].SHA256, fmt.Sprintf("%x", sha256.Sum256(data)); got != want {
		t.Errorf("sha %q, want %q", got, want)
	}
	// nil sets.
	var none *Set
	if none.Len() != 0 || len(none.Bundles()) != 0 || len(none.Unsupported()) != 0 || Merge().Len() != 0 {
		t.Errorf("nil set")
	}
}
