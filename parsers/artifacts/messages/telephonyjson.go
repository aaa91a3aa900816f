package messages

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/klauspost/compress/zlib"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(telephonyJSON{}) }

// telephonyJSON reads the telephony provider's backup files
// (apps/com.android.providers.telephony/d_f/NNNNNN_sms_backup and
// NNNNNN_mms_backup): a zlib stream of a JSON array. SMS dates are in
// milliseconds, MMS dates in seconds.
type telephonyJSON struct{}

func (telephonyJSON) Name() string { return "messages/telephony-json" }

func (telephonyJSON) Match(f *container.File) bool {
	return strings.HasSuffix(f.Name, "_sms_backup") || strings.HasSuffix(f.Name, "_mms_backup")
}

// maxTelephonyJSON bounds the inflated size of one backup file (the agent
// writes at most 1000 messages a file).
const maxTelephonyJSON = 32 << 20

// errTooLarge is the read error of a file whose inflated JSON is over
// maxTelephonyJSON.
var errTooLarge = errors.New("file too large")

// The members of a telephony JSON record that are read.
const (
	kType = iota
	kAddress
	kBody
	kSubject
	kDate
	kDateSent
	kRead
	kRecipients
	kSelfPhone
	kMsgBox
	kSub
	kMMSBody
	kMMSAddresses
	kStatus // the extras, in jsonExtras order
	kArchived
	kMType
	kCtL
	kTrID
	kSubCs
	kMMSCharset
	nKeys
)

var tjKeys = [nKeys]string{"type", "address", "body", "subject", "date", "date_sent", "read", "recipients", "self_phone",
	"msg_box", "sub", "mms_body", "mms_addresses", "status", "archived", "m_type", "ct_l", "tr_id", "sub_cs", "mms_charset"}

// tjKey returns the index of a member name, or -1.
func tjKey(k string) int {
	switch k {
	case "type":
		return kType
	case "address":
		return kAddress
	case "body":
		return kBody
	case "subject":
		return kSubject
	case "date":
		return kDate
	case "date_sent":
		return kDateSent
	case "read":
		return kRead
	case "recipients":
		return kRecipients
	case "self_phone":
		return kSelfPhone
	case "msg_box":
		return kMsgBox
	case "sub":
		return kSub
	case "mms_body":
		return kMMSBody
	case "mms_addresses":
		return kMMSAddresses
	case "status":
		return kStatus
	case "archived":
		return kArchived
	case "m_type":
		return kMType
	case "ct_l":
		return kCtL
	case "tr_id":
		return kTrID
	case "sub_cs":
		return kSubCs
	case "mms_charset":
		return kMMSCharset
	}
	return -1
}

// A tjRecord holds the members of one record that are read; has bit k is
// set when member k is present (a JSON null included).
type tjRecord struct {
	v   [nKeys]tjVal
	has uint32
}

func (r *tjRecord) present(k int) bool { return r.has&(1<<k) != 0 }

func (r *tjRecord) set(k int, v tjVal) {
	r.v[k] = v
	r.has |= 1 << k
}

// A tjVal is a member's value: a string, a number (its literal), true,
// false, null, or an array or object as encoding/json with UseNumber
// decodes it into an interface.
type tjVal struct {
	kind byte   // 's', 'n', 't', 'f', 'x' (array or object in x), 0 null
	s    string // the string, or the number's literal
	x    any
}

// tjAny makes a tjVal of a value decoded by encoding/json.
func tjAny(v any) tjVal {
	switch x := v.(type) {
	case string:
		return tjVal{kind: 's', s: x}
	case json.Number:
		return tjVal{kind: 'n', s: string(x)}
	case bool:
		if x {
			return tjVal{kind: 't'}
		}
		return tjVal{kind: 'f'}
	case nil:
		return tjVal{}
	}
	return tjVal{kind: 'x', x: v}
}

// str, num and strs read a member as the functions of the same names
// read the value as encoding/json has it.
func (v tjVal) str() string {
	switch v.kind {
	case 's', 'n':
		return v.s
	case 't':
		return "true"
	case 'f':
		return "false"
	}
	return ""
}

func (v tjVal) num() int64 {
	switch v.kind {
	case 's':
		n, _ := strconv.ParseInt(strings.TrimSpace(v.s), 10, 64)
		return n
	case 'n':
		return numberInt(json.Number(v.s))
	case 't':
		return 1
	}
	return 0
}

func (v tjVal) strs() []string {
	if v.kind != 'x' {
		return nil
	}
	return strs(v.x)
}

// recordFromMap takes the members read from a record decoded into a map.
func recordFromMap(o map[string]any) tjRecord {
	var r tjRecord
	for k, name := range tjKeys {
		if v, ok := o[name]; ok {
			r.set(k, tjAny(v))
		}
	}
	return r
}

// tjScratch is what reading one file needs, recycled: the inflated bytes
// and the records (their strings are copies).
type tjScratch struct {
	buf  bytes.Buffer
	recs []tjRecord
}

var tjScratches = sync.Pool{New: func() any { return new(tjScratch) }}

func (telephonyJSON) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a zlib stream: %w", err)
	}
	defer zr.Close()
	sc := tjScratches.Get().(*tjScratch)
	buf := &sc.buf
	defer func() {
		if buf.Cap() <= 4<<20 {
			clear(sc.recs[:cap(sc.recs)])
			sc.recs = sc.recs[:0]
			buf.Reset()
			tjScratches.Put(sc)
		}
	}()
	buf.Reset()
	_, rerr := buf.ReadFrom(io.LimitReader(zr, maxTelephonyJSON+1))
	if buf.Len() > maxTelephonyJSON {
		// Past the limit the records are read up to it and the file's
		// problem says why the rest is missing.
		buf.Truncate(maxTelephonyJSON)
		rerr = fmt.Errorf("%w: inflated JSON larger than %d MiB; read up to there", errTooLarge, maxTelephonyJSON>>20)
	}
	// Most files are read by parseTelephonyJSON, which takes the common
	// subset of JSON only (and nothing that would make encoding/json
	// fail): the same values, without a map per record. Anything else
	// goes through encoding/json over the same bytes followed by the
	// same read error, which it meets (as when streaming) only once every
	// byte before it has been used.
	recs, ok := parseTelephonyJSON(buf.Bytes(), sc.recs[:0])
	if ok {
		sc.recs = recs
	}
	var slowErr error
	if !ok {
		var src io.Reader = bytes.NewReader(buf.Bytes())
		if rerr != nil {
			src = io.MultiReader(src, errReader{rerr})
		}
		recs, slowErr = decodeTelephonyJSON(src)
	}
	mms := strings.HasSuffix(f.Name, "_mms_backup")
	selfSeen := map[string]bool{}
	for i := range recs {
		rec := &recs[i]
		src := artifacts.SourceItem(f, "json", i)
		var kept bool
		if mms {
			kept = ctx.AddMessage(mmsFromJSON(rec, src))
		} else {
			kept = ctx.AddMessage(smsFromJSON(rec, src))
		}
		if !kept {
			return slowErr // memory budget reached (a problem says so)
		}
		if self := rec.v[kSelfPhone].str(); self != "" && !selfSeen[self] {
			selfSeen[self] = true
			ctx.AddIdentifier(report.Identifier{Kind: report.IDPhoneNumber, Value: self, Valid: validNumber(self), Label: "self_phone", Source: src})
		}
	}
	return slowErr
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// decodeTelephonyJSON decodes the array with encoding/json, one map per
// record; it returns the records before an error and the error.
func decodeTelephonyJSON(r io.Reader) ([]tjRecord, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("JSON: expected an array, found %v", tok)
	}
	var recs []tjRecord
	for i := 0; dec.More(); i++ {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return recs, fmt.Errorf("JSON record %d: %w", i, err)
		}
		recs = append(recs, recordFromMap(obj))
	}
	return recs, nil
}

// parseTelephonyJSON reads a JSON array of objects into records
// (appended to recs): the
// values of the members read as decodeTelephonyJSON has them, the others
// checked and skipped. ok is false (nothing read) for anything outside a
// strict subset of JSON (an element that is not an object, deep nesting,
// a syntax error, …), which decodeTelephonyJSON then reads, errors
// included. Like it, it stops at the array's end.
func parseTelephonyJSON(b []byte, recs []tjRecord) ([]tjRecord, bool) {
	p := tjParser{b: b}
	p.ws()
	if !p.eat('[') {
		return nil, false
	}
	p.ws()
	if p.eat(']') {
		return recs, true
	}
	for {
		p.ws()
		if !p.eat('{') {
			return nil, false
		}
		recs = append(recs, tjRecord{})
		if !p.record(&recs[len(recs)-1]) {
			return nil, false
		}
		p.ws()
		switch {
		case p.eat(','):
		case p.eat(']'):
			return recs, true
		default:
			return nil, false
		}
	}
}

type tjParser struct {
	b []byte
	i int
}

// tjMaxDepth bounds nesting inside a record (encoding/json reads deeper).
const tjMaxDepth = 32

func (p *tjParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *tjParser) eat(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// record reads the members of an object after its '{'.
func (p *tjParser) record(r *tjRecord) bool {
	p.ws()
	if p.eat('}') {
		return true
	}
	for {
		p.ws()
		name, ok := p.str()
		if !ok {
			return false
		}
		p.ws()
		if !p.eat(':') {
			return false
		}
		p.ws()
		if k := tjKey(name); k >= 0 {
			v, ok := p.member()
			if !ok {
				return false
			}
			r.set(k, v)
		} else if !p.skip(0) {
			return false
		}
		p.ws()
		switch {
		case p.eat(','):
		case p.eat('}'):
			return true
		default:
			return false
		}
	}
}

// str reads a string as encoding/json unquotes it.
func (p *tjParser) str() (string, bool) {
	raw, plain, ok := p.rawString()
	if !ok {
		return "", false
	}
	if plain {
		return string(raw[1 : len(raw)-1]), true
	}
	// Escapes or invalid UTF-8 (which becomes U+FFFD): encoding/json's
	// own rules.
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// rawString returns a string token with its quotes; plain when it has no
// escape and is valid UTF-8.
func (p *tjParser) rawString() (raw []byte, plain, ok bool) {
	b := p.b
	if p.i >= len(b) || b[p.i] != '"' {
		return nil, false, false
	}
	plain = true
	ascii := true
	for j := p.i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			raw = b[p.i : j+1]
			p.i = j + 1
			if !ascii && plain && !utf8.Valid(raw) {
				plain = false
			}
			return raw, plain, true
		case c == '\\':
			plain = false
			j++
			if j >= len(b) {
				return nil, false, false
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					return nil, false, false
				}
				j += 4
			default:
				return nil, false, false
			}
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			ascii = false
		}
	}
	return nil, false, false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// member reads the value of a member that is read.
func (p *tjParser) member() (tjVal, bool) {
	if p.i >= len(p.b) {
		return tjVal{}, false
	}
	switch p.b[p.i] {
	case '"':
		s, ok := p.str()
		return tjVal{kind: 's', s: s}, ok
	case '{', '[':
		x, ok := p.value(0)
		return tjVal{kind: 'x', x: x}, ok
	case 't':
		return tjVal{kind: 't'}, p.literal("true")
	case 'f':
		return tjVal{kind: 'f'}, p.literal("false")
	case 'n':
		return tjVal{}, p.literal("null")
	}
	n, ok := p.number()
	return tjVal{kind: 'n', s: n}, ok
}

// value reads any JSON value as encoding/json decodes it into an
// interface with UseNumber.
func (p *tjParser) value(depth int) (any, bool) {
	if p.i >= len(p.b) || depth > tjMaxDepth {
		return nil, false
	}
	switch c := p.b[p.i]; c {
	case '"':
		return p.str()
	case '{':
		p.i++
		m := map[string]any{}
		p.ws()
		if p.eat('}') {
			return m, true
		}
		for {
			p.ws()
			k, ok := p.str()
			if !ok {
				return nil, false
			}
			p.ws()
			if !p.eat(':') {
				return nil, false
			}
			p.ws()
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			m[k] = v
			p.ws()
			switch {
			case p.eat(','):
			case p.eat('}'):
				return m, true
			default:
				return nil, false
			}
		}
	case '[':
		p.i++
		a := make([]any, 0)
		p.ws()
		if p.eat(']') {
			return a, true
		}
		for {
			p.ws()
			v, ok := p.value(depth + 1)
			if !ok {
				return nil, false
			}
			a = append(a, v)
			p.ws()
			switch {
			case p.eat(','):
			case p.eat(']'):
				return a, true
			default:
				return nil, false
			}
		}
	case 't':
		return true, p.literal("true")
	case 'f':
		return false, p.literal("false")
	case 'n':
		return nil, p.literal("null")
	default:
		n, ok := p.number()
		return json.Number(n), ok
	}
}

// skip checks and passes one value.
func (p *tjParser) skip(depth int) bool {
	if p.i >= len(p.b) || depth > tjMaxDepth {
		return false
	}
	switch p.b[p.i] {
	case '"':
		_, _, ok := p.rawString()
		return ok
	case '{', '[':
		_, ok := p.value(depth)
		return ok
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.literal("null")
	default:
		_, ok := p.number()
		return ok
	}
}

func (p *tjParser) literal(s string) bool {
	if len(p.b)-p.i >= len(s) && string(p.b[p.i:p.i+len(s)]) == s {
		p.i += len(s)
		return true
	}
	return false
}

// number reads a number token (JSON's grammar) as its text.
func (p *tjParser) number() (string, bool) {
	b, i := p.b, p.i
	digits := func() bool {
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > s
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return "", false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return "", false
		}
	}
	s := string(b[p.i:i])
	p.i = i
	return s, true
}

func smsFromJSON(o *tjRecord, src string) report.Message {
	typ := o.v[kType].num()
	m := report.Message{
		Kind:      "sms",
		Direction: SMSDirection(typ),
		Address:   o.v[kAddress].str(),
		Body:      o.v[kBody].str(),
		Subject:   o.v[kSubject].str(),
		Source:    src,
		Extra:     map[string]string{},
	}
	m.Time = epochTime(o.v[kDate].num(), Millis, m.Extra, "date")
	if s := o.v[kDateSent].num(); s > 0 {
		m.SentTime = epochTime(s, Millis, m.Extra, "date_sent")
	}
	jsonExtras(o, m.Extra)
	if o.present(kRead) {
		b := o.v[kRead].num() != 0
		m.Read = &b
	}
	setRecipients(&m, o.v[kRecipients].strs())
	finish(&m)
	return m
}

// setRecipients sets the conversation of a telephony JSON message: the
// backup has no thread ids, only each thread's participants, so the
// sorted participants name the conversation.
func setRecipients(m *report.Message, rs []string) {
	if len(rs) == 0 {
		return
	}
	if len(rs) > 1 {
		m.Addresses = rs
	}
	m.Thread = threadKey(rs)
}

// threadKey names a conversation by its sorted participants.
func threadKey(participants []string) string {
	key := append([]string(nil), participants...)
	sort.Strings(key)
	return strings.Join(key, " ")
}

// jsonExtras keeps the telephony JSON keys worth showing.
func jsonExtras(o *tjRecord, extra map[string]string) {
	for k := kStatus; k <= kMMSCharset; k++ {
		if !o.present(k) {
			continue
		}
		s := o.v[k].str()
		if s == "" || k == kStatus && s == "-1" {
			continue
		}
		extra[tjKeys[k]] = s
	}
}

func mmsFromJSON(o *tjRecord, src string) report.Message {
	box := o.v[kMsgBox].num()
	m := report.Message{
		Kind:      "mms",
		Direction: SMSDirection(box),
		Subject:   o.v[kSub].str(),
		Body:      o.v[kMMSBody].str(),
		Source:    src,
		Extra:     map[string]string{},
	}
	m.Time = epochTime(o.v[kDate].num(), Seconds, m.Extra, "date")
	if s := o.v[kDateSent].num(); s > 0 {
		m.SentTime = epochTime(s, Seconds, m.Extra, "date_sent")
	}
	jsonExtras(o, m.Extra)
	if o.present(kRead) {
		b := o.v[kRead].num() != 0
		m.Read = &b
	}
	var list []mmsAddr
	if addrs, ok := o.v[kMMSAddresses].x.([]any); ok {
		for _, a := range addrs {
			am, _ := a.(map[string]any)
			list = append(list, mmsAddr{address: str(am["address"]), typ: num(am["type"])})
		}
	}
	setRecipients(&m, o.v[kRecipients].strs())
	mmsAddresses(&m, list, m.Thread == "", o.v[kSelfPhone].str())
	if m.Address == "" {
		if rs := o.v[kRecipients].strs(); len(rs) > 0 {
			m.Address = rs[0]
		}
	}
	finish(&m)
	return m
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func num(v any) int64 {
	switch x := v.(type) {
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n
	case json.Number:
		return numberInt(x)
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func numberInt(x json.Number) int64 {
	n, err := x.Int64()
	if err != nil {
		f, _ := x.Float64()
		n = int64(f)
	}
	return n
}

func strs(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, a := range arr {
		if s := str(a); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// validNumber reports whether s is a valid E.164 number.
func validNumber(s string) bool {
	_, err := idvalid.E164(s, "")
	return err == nil
}
