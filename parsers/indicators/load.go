package indicators

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// MaxFileSize bounds one indicator file.
const MaxFileSize = 64 << 20

// MaxListedLines bounds how many unusable lines of one number list are
// listed one by one; the rest are counted in a last entry.
const MaxListedLines = 1000

// Formats of indicator files.
const (
	FormatSTIX2      = "stix2"
	FormatNumberList = "number-list"
)

// A Set is indicators loaded from one or more files, ready to match.
// The zero value and nil are empty sets.
type Set struct {
	bundles []*bundle
}

type bundle struct {
	info        report.IndicatorBundle
	indicators  []*indicator
	unsupported []report.UnsupportedIndicator
}

type indicator struct {
	id, name, pattern string
	bundle            string
	collections       []report.IndicatorCollection
	comps             []Comparison
}

// collectionTypes are the STIX object types an indicator can indicate and
// that group indicators (plus "report", whose object_refs group them too).
var collectionTypes = map[string]bool{
	"malware": true, "campaign": true, "intrusion-set": true, "threat-actor": true,
	"tool": true, "infrastructure": true, "attack-pattern": true,
}

// Load reads one indicator file: a STIX2 (2.0 or 2.1) JSON bundle, or a
// text list of phone numbers (one E.164 number a line; empty lines and
// lines starting with '#' are skipped; text after '#', ',', ';' or a tab
// is a label). The format is sniffed from the content. name is the file's
// name as shown in matches. Indicators that cannot be used are kept in the
// set's unsupported list with the reason; an error means the file as a
// whole is unreadable.
func Load(name string, r io.Reader) (*Set, error) {
	h := sha256.New()
	data, err := io.ReadAll(io.TeeReader(io.LimitReader(r, MaxFileSize+1), h))
	if err != nil {
		return nil, &FormatError{Name: name, Offset: -1, Reason: "read error: " + err.Error()}
	}
	if len(data) > MaxFileSize {
		return nil, &FormatError{Name: name, Offset: MaxFileSize, Reason: fmt.Sprintf("larger than %d bytes", MaxFileSize), Err: ErrTooLarge}
	}
	b := &bundle{info: report.IndicatorBundle{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(h.Sum(nil))}}
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		b.info.Format = FormatSTIX2
		if err := b.parseSTIX(name, body, int64(len(data)-len(body))); err != nil {
			return nil, err
		}
	} else {
		b.info.Format = FormatNumberList
		if err := b.parseNumbers(name, body); err != nil {
			return nil, err
		}
	}
	b.finish()
	return &Set{bundles: []*bundle{b}}, nil
}

// Merge returns one set holding every bundle of sets (nil sets are skipped),
// ordered by bundle name so the result does not depend on argument order.
func Merge(sets ...*Set) *Set {
	out := &Set{}
	for _, s := range sets {
		if s != nil {
			out.bundles = append(out.bundles, s.bundles...)
		}
	}
	sort.SliceStable(out.bundles, func(i, j int) bool {
		a, b := out.bundles[i].info, out.bundles[j].info
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.SHA256 < b.SHA256
	})
	return out
}

// Bundles describes the loaded files, in name order.
func (s *Set) Bundles() []report.IndicatorBundle {
	out := []report.IndicatorBundle{}
	if s == nil {
		return out
	}
	for _, b := range s.bundles {
		out = append(out, b.info)
	}
	return out
}

// Len is the number of usable comparisons in the set.
func (s *Set) Len() int {
	n := 0
	if s == nil {
		return 0
	}
	for _, b := range s.bundles {
		for _, ind := range b.indicators {
			n += len(ind.comps)
		}
	}
	return n
}

// Unsupported lists what could not be used, with reasons.
func (s *Set) Unsupported() []report.UnsupportedIndicator {
	out := []report.UnsupportedIndicator{}
	if s == nil {
		return out
	}
	for _, b := range s.bundles {
		out = append(out, b.unsupported...)
	}
	return out
}

// ---- STIX2 ----

type object map[string]json.RawMessage

func (o object) str(k string) string {
	var s string
	if raw, ok := o[k]; ok {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
	}
	return s
}

func jsonError(name string, base int64, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &FormatError{Name: name, Offset: base + se.Offset, Reason: "not valid JSON: " + se.Error(), Err: ErrUnknownFormat}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FormatError{Name: name, Offset: base + te.Offset, Reason: fmt.Sprintf("JSON %s where a STIX2 bundle has %s", te.Value, te.Type), Err: ErrUnknownFormat}
	}
	return &FormatError{Name: name, Offset: -1, Reason: err.Error(), Err: ErrUnknownFormat}
}

func (b *bundle) parseSTIX(name string, data []byte, base int64) error {
	var top object
	if err := json.Unmarshal(data, &top); err != nil {
		return jsonError(name, base, err)
	}
	if t := top.str("type"); t != "bundle" {
		return &FormatError{Name: name, Offset: -1, Err: ErrUnknownFormat,
			Reason: fmt.Sprintf("JSON, but not a STIX2 bundle (top-level \"type\" is %q, not \"bundle\")", t)}
	}
	var raws []json.RawMessage
	if rawObjs, ok := top["objects"]; ok {
		if err := json.Unmarshal(rawObjs, &raws); err != nil {
			return &FormatError{Name: name, Offset: -1, Err: ErrUnknownFormat, Reason: "\"objects\" of the bundle is not a list"}
		}
	}
	objs := make([]object, 0, len(raws))
	collections := map[string]report.IndicatorCollection{}
	for i, raw := range raws {
		var o object
		if err := json.Unmarshal(raw, &o); err != nil {
			b.unsupported = append(b.unsupported, report.UnsupportedIndicator{Bundle: name, Invalid: true,
				Reason: fmt.Sprintf("objects[%d] is not a JSON object", i)})
			objs = append(objs, nil)
			continue
		}
		objs = append(objs, o)
		t := o.str("type")
		if collectionTypes[t] || t == "report" {
			id := o.str("id")
			if id != "" {
				collections[id] = report.IndicatorCollection{ID: id, Type: t, Name: o.str("name")}
			}
		}
	}
	// What each indicator indicates: "indicates" relationships to a
	// collection type, and reports listing it in object_refs.
	groups := map[string]map[string]bool{}
	addGroup := func(ind, coll string) {
		if groups[ind] == nil {
			groups[ind] = map[string]bool{}
		}
		groups[ind][coll] = true
	}
	for _, o := range objs {
		switch o.str("type") {
		case "relationship":
			if o.str("relationship_type") != "indicates" {
				continue
			}
			src, dst := o.str("source_ref"), o.str("target_ref")
			if !strings.HasPrefix(src, "indicator--") || dst == "" {
				continue
			}
			if _, ok := collections[dst]; !ok {
				t, _, _ := strings.Cut(dst, "--")
				if !collectionTypes[t] {
					continue
				}
				// Target not in this bundle: keep its id.
				collections[dst] = report.IndicatorCollection{ID: dst, Type: t}
			}
			addGroup(src, dst)
		case "report":
			var refs []string
			if raw, ok := o["object_refs"]; ok && json.Unmarshal(raw, &refs) == nil {
				for _, ref := range refs {
					if strings.HasPrefix(ref, "indicator--") {
						addGroup(ref, o.str("id"))
					}
				}
			}
		}
	}
	for i, o := range objs {
		if o == nil || o.str("type") != "indicator" {
			continue
		}
		b.info.Indicators++
		ind := &indicator{id: o.str("id"), name: o.str("name"), pattern: o.str("pattern"), bundle: name}
		if ind.id == "" {
			ind.id = fmt.Sprintf("objects[%d]", i)
		}
		for c := range groups[ind.id] {
			ind.collections = append(ind.collections, collections[c])
		}
		sortCollections(ind.collections)
		un := func(invalid bool, reason string, off *int) {
			b.unsupported = append(b.unsupported, report.UnsupportedIndicator{Bundle: name, ID: ind.id, Name: ind.name,
				Pattern: ind.pattern, Offset: off, Invalid: invalid, Reason: reason})
		}
		if _, ok := o["pattern"]; !ok || ind.pattern == "" {
			un(true, "indicator has no pattern", nil)
			continue
		}
		if pt := o.str("pattern_type"); pt != "" && pt != "stix" {
			un(false, fmt.Sprintf("pattern_type %q is not STIX patterning", pt), nil)
			continue
		}
		if string(o["revoked"]) == "true" {
			un(false, "revoked by its producer", nil)
			continue
		}
		pat, err := ParsePattern(ind.pattern)
		if err != nil {
			var pe *PatternError
			if errors.As(err, &pe) {
				off := pe.Offset
				un(pe.Invalid, pe.Reason, &off)
			} else {
				un(true, err.Error(), nil)
			}
			continue
		}
		for _, sk := range pat.Skipped {
			off := sk.Offset
			b.unsupported = append(b.unsupported, report.UnsupportedIndicator{Bundle: name, ID: ind.id, Name: ind.name,
				Pattern: ind.pattern, Offset: &off, Invalid: sk.Invalid, Partial: true,
				Reason: sk.Reason + " (the other comparisons of this OR are used)"})
		}
		ind.comps = pat.Comparisons
		b.indicators = append(b.indicators, ind)
	}
	// Collections of the bundle with their indicator counts.
	counts := map[string]int{}
	for _, ind := range b.indicators {
		for _, c := range ind.collections {
			counts[c.ID]++
		}
	}
	for id, c := range collections {
		if counts[id] == 0 && c.Type == "report" {
			continue
		}
		c.Indicators = counts[id]
		b.info.Collections = append(b.info.Collections, c)
	}
	sortCollections(b.info.Collections)
	return nil
}

func sortCollections(cs []report.IndicatorCollection) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Name != cs[j].Name {
			return cs[i].Name < cs[j].Name
		}
		return cs[i].ID < cs[j].ID
	})
}

// ---- number lists ----

func (b *bundle) parseNumbers(name string, data []byte) error {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		off := int64(bytes.IndexByte(data, 0))
		if off < 0 {
			off = int64(firstInvalidUTF8(data))
		}
		return &FormatError{Name: name, Offset: off, Err: ErrUnknownFormat,
			Reason: "binary data: neither a STIX2 bundle (JSON) nor a text list of phone numbers"}
	}
	lines := strings.Split(string(data), "\n")
	seen := map[string]int{}
	var firstBad *report.UnsupportedIndicator
	listed, more := 0, 0
	for i, line := range lines {
		ln := i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "//") {
			continue
		}
		num, label := line, ""
		if k := strings.IndexAny(line, "#,;\t"); k >= 0 {
			num, label = strings.TrimSpace(line[:k]), strings.TrimSpace(strings.TrimLeft(line[k:], "#,;\t "))
		}
		b.info.Indicators++
		e164, err := NormalizePhone(num)
		var u *report.UnsupportedIndicator
		switch {
		case err != nil:
			u = &report.UnsupportedIndicator{Bundle: name, Line: ln, Pattern: truncate(line, 120), Invalid: true, Reason: err.Error()}
		case seen[e164] > 0:
			u = &report.UnsupportedIndicator{Bundle: name, Line: ln, Pattern: truncate(line, 120), Reason: fmt.Sprintf("same number as line %d", seen[e164])}
		}
		if u != nil {
			if firstBad == nil {
				firstBad = u
			}
			if listed < MaxListedLines {
				b.unsupported = append(b.unsupported, *u)
				listed++
			} else {
				more++
			}
			continue
		}
		seen[e164] = ln
		b.indicators = append(b.indicators, &indicator{
			id:      fmt.Sprintf("%s:%d", name, ln),
			name:    label,
			pattern: fmt.Sprintf("line %d", ln),
			bundle:  name,
			comps:   []Comparison{{Kind: report.IndicatorPhone, Path: "phone-number", Raw: num, Value: e164}},
		})
	}
	if len(b.indicators) == 0 {
		if firstBad == nil {
			return &FormatError{Name: name, Offset: -1, Err: ErrUnknownFormat, Reason: "empty: no STIX2 bundle and no phone number"}
		}
		return &FormatError{Name: name, Offset: -1, Line: firstBad.Line, Err: ErrUnknownFormat,
			Reason: "neither a STIX2 bundle nor a list of phone numbers: " + firstBad.Reason}
	}
	if more > 0 {
		b.unsupported = append(b.unsupported, report.UnsupportedIndicator{Bundle: name, Invalid: true,
			Reason: fmt.Sprintf("%d more unusable lines not listed", more)})
	}
	b.info.Collections = []report.IndicatorCollection{}
	return nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

func (b *bundle) finish() {
	if b.info.Collections == nil {
		b.info.Collections = []report.IndicatorCollection{}
	}
	b.info.Used = len(b.indicators)
	b.info.Unsupported = len(b.unsupported)
}
