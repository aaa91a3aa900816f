// Package payloads keeps data the tool cannot map to records visible in the
// report as report.Payload, instead of dropping it: every MIUI
// apps/<pkg>/miui_bak/_tmp_bak (formats.md §2.7 — each app chooses its own
// serialisation, most of them unpublished) is shown as a protobuf tree, JSON,
// XML, text or hex, whatever it turns out to be. Modules that understand a
// payload (contacts, call log, settings) read the same file and add records;
// the payload stays as the raw view beside them.
//
// The order of guesses follows formats.md §2.7: a zlib stream is inflated
// first (its checksum makes that guess safe); data that is valid, printable
// UTF-8 is tried as JSON, then XML, then shown as text; anything else that
// parses completely as protobuf wire format becomes a protobuf tree; the
// rest is shown in hex. (Text is tried before protobuf because short text
// often parses as protobuf too, while binary protobuf is rarely printable.)
//
// Secrets are never shown: in text, JSON and XML the values of keys that
// name passwords, pre-shared keys, tokens and the like are replaced by a
// note of their length (Redact).
package payloads

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/miui"
	"github.com/backupinspector/backupinspector/parsers/protobuf"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(miuiPayloads{}) }

// Payload formats (report.Payload.Format).
const (
	FormatProtobuf = "protobuf"
	FormatJSON     = "json"
	FormatXML      = "xml"
	FormatText     = "text"
	FormatHex      = "hex"
)

// Limits.
const (
	// MaxPayload is the largest payload decoded; larger ones are shown as
	// the hex of their start.
	MaxPayload = 64 << 20
	// MaxText bounds the text, JSON or XML kept in a tree.
	MaxText = 64 << 10
	// MaxHex bounds the bytes shown in hex.
	MaxHex = 256
	// maxInflate bounds the inflated size of a zlib payload.
	maxInflate = MaxPayload
)

// Describe guesses what data is and returns its format, its tree for the
// page and a note (what was done, what is unknown). It never fails: the
// last resort is hex.
func Describe(data []byte) (format string, tree json.RawMessage, note string) {
	return describe(data, 0)
}

func describe(data []byte, depth int) (string, json.RawMessage, string) {
	if len(data) == 0 {
		return FormatHex, hexTree(nil), "empty"
	}
	if depth == 0 && isZlib(data) {
		if inflated, err := inflate(data); err == nil {
			f, t, n := describe(inflated, depth+1)
			return f, t, join(fmt.Sprintf("zlib-compressed, %d bytes inflated", len(inflated)), n)
		}
	}
	if isText(data) {
		trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")))
		if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed) {
			return FormatJSON, jsonTree(trimmed), ""
		}
		if len(trimmed) > 0 && trimmed[0] == '<' && wellFormedXML(trimmed) {
			t, cut := textTree(RedactXML(string(trimmed)))
			return FormatXML, t, cutNote(cut)
		}
		t, cut := textTree(Redact(string(data)))
		return FormatText, t, cutNote(cut)
	}
	// Every field is decoded and counted, the first ones kept: the tree
	// shows the first DefaultMaxNodes (kept whatever the nesting with
	// MaxKept beyond it and the depth), and memory stays a few MiB
	// whatever the payload's size (16 M fields of a 32 MiB payload were
	// 1 GiB of fields).
	opts := protobuf.Options{MaxFields: len(data)/2 + 16, MaxKept: 4 * protobuf.DefaultMaxNodes, MaxTopNumber: protobuf.MaxGuessNumber}
	if m, err := protobuf.ParseOptions(data, opts); err == nil && plausibleTop(m) {
		doc := protobuf.BuildTree(m, protobuf.TreeOptions{})
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(doc)
		n := ""
		if doc.Truncated {
			n = fmt.Sprintf("tree shows %d of %d fields", doc.Nodes, doc.Total)
		}
		return FormatProtobuf, json.RawMessage(bytes.TrimRight(b.Bytes(), "\n")), n
	}
	return FormatHex, hexTree(data), ""
}

// plausibleTop: every top-level field number is one a schema would use.
func plausibleTop(m *protobuf.Message) bool {
	if m == nil || len(m.Fields) == 0 {
		return false
	}
	for _, f := range m.Fields {
		if f.Number > protobuf.MaxGuessNumber {
			return false
		}
	}
	return true
}

func join(a, b string) string {
	if b == "" {
		return a
	}
	return a + "; " + b
}

func cutNote(cut bool) string {
	if cut {
		return fmt.Sprintf("shortened to its first %d bytes", MaxText)
	}
	return ""
}

func isZlib(h []byte) bool {
	return len(h) >= 2 && h[0]&0x0f == 8 && h[0]>>4 <= 7 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 && h[1]&0x20 == 0
}

func inflate(data []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, maxInflate+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxInflate {
		return nil, errors.New("inflates beyond the limit")
	}
	return out, nil
}

// isText: valid UTF-8 with few control characters.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	ctl := 0
	for _, c := range b {
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			ctl++
		}
	}
	return ctl*100 <= len(b)
}

func wellFormedXML(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

func marshal(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return json.RawMessage(bytes.TrimRight(b.Bytes(), "\n"))
}

func textTree(s string) (json.RawMessage, bool) {
	cut := false
	if len(s) > MaxText {
		k := MaxText
		for k > 0 && !utf8.RuneStart(s[k]) {
			k--
		}
		s, cut = s[:k], true
	}
	return marshal(struct {
		Text string `json:"text"`
		Cut  bool   `json:"cut,omitempty"`
	}{s, cut}), cut
}

func hexTree(b []byte) json.RawMessage {
	cut := len(b) > MaxHex
	if cut {
		b = b[:MaxHex]
	}
	return marshal(struct {
		Hex string `json:"hex"`
		Cut bool   `json:"cut,omitempty"`
	}{hex.EncodeToString(b), cut})
}

// jsonTree returns the JSON with secret values redacted, or a text view
// when it is too large.
func jsonTree(b []byte) json.RawMessage {
	if len(b) > MaxText {
		t, _ := textTree(Redact(string(b)))
		return t
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t, _ := textTree(Redact(string(b)))
		return t
	}
	return marshal(struct {
		JSON any `json:"json"`
	}{RedactJSON(v)})
}

// secretWords are key words whose values are secrets; secretPairs are
// two-word names.
var (
	secretWords = map[string]bool{"psk": true, "password": true, "passwd": true, "passphrase": true, "pwd": true, "secret": true,
		"token": true, "pin": true, "credential": true, "credentials": true, "presharedkey": true, "passcode": true}
	secretPairs = map[string]bool{"pre shared": true, "shared key": true, "wep key": true, "sae password": true, "private key": true,
		"auth key": true, "api key": true, "access key": true}
)

// keyWords splits a key name into lower-case words at non-alphanumerics,
// lower→upper case changes and letter/digit changes.
func keyWords(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range key {
		isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		isDigit := r >= '0' && r <= '9'
		switch {
		case !isLetter && !isDigit:
			flush()
		case r >= 'A' && r <= 'Z' && prev >= 'a' && prev <= 'z',
			isDigit && !(prev >= '0' && prev <= '9'),
			isLetter && prev >= '0' && prev <= '9':
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return words
}

// IsSecretKey reports whether a key name denotes a secret value
// (psk, wifiPassword, auth_token, wep_key0, PreSharedKey, sae_password…).
func IsSecretKey(key string) bool {
	w := keyWords(key)
	for i, x := range w {
		if secretWords[x] {
			return true
		}
		if i > 0 && secretPairs[w[i-1]+" "+x] {
			return true
		}
	}
	return false
}

func hidden(v string) string {
	return "(hidden, " + strconv.Itoa(utf8.RuneCountInString(v)) + " characters)"
}

// kvLine matches "key=value", "key: value" and "key value" lines of
// wpa_supplicant-style and property text.
var kvLine = regexp.MustCompile(`^(\s*"?)([A-Za-z0-9_.\-]+)("?\s*[=:]\s*|\s+)(.*?)(\s*,?\s*)$`)

// Redact replaces the values of secret keys in line-oriented text.
func Redact(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		cr := strings.HasSuffix(l, "\r")
		l = strings.TrimSuffix(l, "\r")
		if m := kvLine.FindStringSubmatch(l); m != nil && IsSecretKey(m[2]) && m[4] != "" {
			l = m[1] + m[2] + m[3] + hidden(strings.Trim(m[4], `"'`)) + m[5]
		}
		if cr {
			l += "\r"
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// RedactJSON replaces secret values in a decoded JSON value: values of
// secret keys, and the "value" of {"key": <secret name>, "value": …}
// objects.
func RedactJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keyIsSecret := false
		if k, ok := x["key"].(string); ok && IsSecretKey(k) {
			keyIsSecret = true
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			if IsSecretKey(k) || keyIsSecret && k == "value" {
				if _, isObj := val.(map[string]any); !isObj {
					out[k] = hidden(fmt.Sprint(val))
					continue
				}
			}
			out[k] = RedactJSON(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = RedactJSON(e)
		}
		return out
	}
	return v
}

// xmlSecret matches an element with a secret name and its text, or a
// secret attribute.
var (
	xmlSecretElem = regexp.MustCompile(`(?is)<([A-Za-z_:][\w.:\-]*)([^>]*)>([^<]*)</([A-Za-z_:][\w.:\-]*)>`)
	xmlNameAttr   = regexp.MustCompile(`(?i)\bname\s*=\s*"([^"]*)"`)
	xmlSecretAttr = regexp.MustCompile(`(?i)\b([\w.:\-]+)\s*=\s*"([^"]*)"`)
)

// RedactXML replaces the text of elements whose name (or name attribute,
// as in shared_prefs <string name="…">) is a secret key, and the values
// of secret attributes.
func RedactXML(s string) string {
	s = xmlSecretElem.ReplaceAllStringFunc(s, func(m string) string {
		g := xmlSecretElem.FindStringSubmatch(m)
		name := g[1]
		if a := xmlNameAttr.FindStringSubmatch(g[2]); a != nil {
			name = a[1]
		}
		if !IsSecretKey(name) || strings.TrimSpace(g[3]) == "" {
			return m
		}
		return "<" + g[1] + g[2] + ">" + hidden(g[3]) + "</" + g[4] + ">"
	})
	return xmlSecretAttr.ReplaceAllStringFunc(s, func(m string) string {
		g := xmlSecretAttr.FindStringSubmatch(m)
		if strings.EqualFold(g[1], "name") || !IsSecretKey(g[1]) || g[2] == "" {
			return m
		}
		return g[1] + `="` + hidden(g[2]) + `"`
	})
}

// miuiPayloads keeps every MIUI _tmp_bak visible and learns each .bak's
// feature id from its _tmp_meta.
type miuiPayloads struct{}

func (miuiPayloads) Name() string { return "payloads/miui" }

func (miuiPayloads) Match(f *container.File) bool {
	return isTmpBak(f) || isTmpMeta(f)
}

func isTmpBak(f *container.File) bool {
	return f.Name == "_tmp_bak" && strings.HasSuffix(f.Dir, "/miui_bak")
}

func isTmpMeta(f *container.File) bool {
	return f.Name == "_tmp_meta" && strings.HasSuffix(f.Dir, "/miui_meta/cache") && f.Size >= 0 && f.Size < 1<<20
}

const featureState = "payloads/miui-features"

// appKey is the provenance path of the app directory (…!apps/<pkg>/) the
// file belongs to.
func appKey(f *container.File) string {
	for _, suffix := range []string{"/miui_bak", "/miui_meta/cache"} {
		if strings.HasSuffix(f.Dir, suffix) {
			return strings.TrimSuffix(f.Dir, suffix)
		}
	}
	return f.Dir
}

func features(ctx *artifacts.Context) map[string]int {
	return ctx.State(featureState, func() any { return map[string]int{} }).(map[string]int)
}

// Feature returns the MIUI feature id of the .bak that holds f, as its
// _tmp_meta states, when that was read before f (the MIUI agent writes
// _tmp_meta first).
func Feature(ctx *artifacts.Context, f *container.File) (int, bool) {
	v, ok := features(ctx)[appKey(f)]
	return v, ok
}

// featureNames: formats.md §2.6.
var featureNames = map[string]string{
	"com.android.contacts 1":     "call log",
	"com.android.contacts 2":     "contacts",
	"com.android.contacts 10":    "contacts settings",
	"com.android.mms 1":          "SMS",
	"com.android.mms 2":          "MMS",
	"com.android.mms 10":         "messaging settings",
	"com.android.settings 1":     "settings",
	"com.android.settings 2":     "Wi-Fi networks",
	"com.android.phone 1":        "call settings",
	"com.miui.securitycenter 2":  "block list",
	"com.miui.securitycenter -1": "whole app",
}

// FeatureName names a MIUI feature of a package ("" when unknown).
func FeatureName(pkg string, feature int) string {
	if n, ok := featureNames[pkg+" "+strconv.Itoa(feature)]; ok {
		return n
	}
	if feature == miui.FeatureWholeApp {
		return "whole app"
	}
	return ""
}

func (miuiPayloads) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	if isTmpMeta(f) {
		data, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			return err
		}
		if m, err := miui.ParseTmpMeta(data); err == nil {
			features(ctx)[appKey(f)] = m.Feature
		}
		return nil
	}
	p := report.Payload{Path: f.Path, Package: f.Package}
	feature, known := Feature(ctx, f)
	if known {
		p.Feature = strconv.Itoa(feature)
		if n := FeatureName(f.Package, feature); n != "" {
			p.Feature += " (" + n + ")"
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxPayload+1))
	if err != nil {
		return err
	}
	p.Size = int64(len(data))
	if f.Size > p.Size {
		p.Size = f.Size
	}
	if len(data) > MaxPayload {
		p.Format, p.Tree = FormatHex, hexTree(data)
		p.Note = fmt.Sprintf("larger than %d bytes: not decoded, start shown in hex", MaxPayload)
		ctx.AddPayload(p)
		return nil
	}
	p.Format, p.Tree, p.Note = Describe(data)
	if f.Package == "com.android.mms" && (feature == 1 || feature == 2 || !known) && p.Format == FormatProtobuf {
		p.Note = join("MIUI Messaging payload: its layout is not public, so messages are not decoded from it; the tree shows the raw fields", p.Note)
	}
	ctx.AddPayload(p)
	return nil
}
