package indicators

import (
	"fmt"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// MaxPatternLength bounds the pattern text ParsePattern accepts.
const MaxPatternLength = 64 << 10

// maxNesting bounds parentheses and brackets in a pattern.
const maxNesting = 64

// A Comparison is one usable `object-path = 'value'` test of a pattern.
type Comparison struct {
	Kind   string // report.Indicator* kind
	Path   string // object path as written, e.g. file:hashes.'SHA-256'
	Raw    string // the string literal, unescaped
	Value  string // the value normalised for matching
	Offset int    // byte offset of the comparison in the pattern
}

// A Pattern is a parsed STIX pattern made of equality comparisons joined
// by OR (inside one observation expression or between several).
type Pattern struct {
	Text        string
	Comparisons []Comparison
	// Skipped are comparisons of the OR that cannot be used (unsupported
	// object path, bad value); the others still can, since any one of
	// them alone satisfies the pattern.
	Skipped []*PatternError
}

// ParsePattern parses a STIX 2.1 pattern. It returns a *PatternError
// (matching ErrInvalidPattern or ErrUnsupportedPattern) when the pattern is
// malformed, or when it is valid but nothing in it can be used: AND,
// FOLLOWEDBY, NOT, qualifiers, operators other than =, or only unsupported
// object paths.
func ParsePattern(text string) (*Pattern, error) {
	if len(text) > MaxPatternLength {
		return nil, &PatternError{Pattern: text, Offset: MaxPatternLength, Invalid: true,
			Reason: fmt.Sprintf("pattern is %d bytes, over the %d-byte limit", len(text), MaxPatternLength)}
	}
	p := &parser{src: text}
	if err := p.lex(); err != nil {
		return nil, err
	}
	n, err := p.parsePattern()
	if err != nil {
		return nil, err
	}
	// Structure: only OR may join observation expressions and comparisons.
	if err := checkStructure(text, n); err != nil {
		return nil, err
	}
	var tests []*testNode
	collectTests(n, &tests)
	pat := &Pattern{Text: text}
	for _, t := range tests {
		c, perr := t.comparison(text)
		if perr != nil {
			pat.Skipped = append(pat.Skipped, perr)
			continue
		}
		pat.Comparisons = append(pat.Comparisons, c)
	}
	if len(pat.Comparisons) == 0 {
		if len(pat.Skipped) == 1 {
			return nil, pat.Skipped[0]
		}
		reasons := make([]string, 0, len(pat.Skipped))
		invalid := false
		for _, s := range pat.Skipped {
			reasons = append(reasons, s.Reason)
			invalid = invalid || s.Invalid
		}
		return nil, &PatternError{Pattern: text, Offset: pat.Skipped[0].Offset, Invalid: invalid,
			Reason: "no comparison can be used: " + strings.Join(reasons, "; ")}
	}
	return pat, nil
}

// ---- lexer ----

type tokKind int

const (
	tEOF tokKind = iota
	tLBrack
	tRBrack
	tLParen
	tRParen
	tColon
	tDot
	tComma
	tOp      // = != == < <= > >=
	tKeyword // AND OR NOT FOLLOWEDBY LIKE MATCHES IN ISSUBSET ISSUPERSET EXISTS WITHIN REPEATS TIMES START STOP SECONDS
	tIdent   // object type or property name
	tString  // '…'
	tInt
	tFloat
	tBool
	tTime   // t'…'
	tHex    // h'…'
	tBinary // b'…'
	tStar   // * in a list index
)

type token struct {
	kind tokKind
	text string // keyword/op/ident text, or unescaped string content
	off  int
}

var keywords = map[string]bool{
	"AND": true, "OR": true, "NOT": true, "FOLLOWEDBY": true, "LIKE": true, "MATCHES": true,
	"IN": true, "ISSUBSET": true, "ISSUPERSET": true, "EXISTS": true, "WITHIN": true,
	"REPEATS": true, "TIMES": true, "START": true, "STOP": true, "SECONDS": true,
}

type parser struct {
	src   string
	toks  []token
	pos   int
	depth int
}

func (p *parser) errAt(off int, format string, a ...any) *PatternError {
	return &PatternError{Pattern: p.src, Offset: off, Invalid: true, Reason: fmt.Sprintf(format, a...)}
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

func (p *parser) lex() error {
	s := p.src
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '[':
			p.toks = append(p.toks, token{tLBrack, "[", i})
			i++
		case c == ']':
			p.toks = append(p.toks, token{tRBrack, "]", i})
			i++
		case c == '(':
			p.toks = append(p.toks, token{tLParen, "(", i})
			i++
		case c == ')':
			p.toks = append(p.toks, token{tRParen, ")", i})
			i++
		case c == ':':
			p.toks = append(p.toks, token{tColon, ":", i})
			i++
		case c == ',':
			p.toks = append(p.toks, token{tComma, ",", i})
			i++
		case c == '*':
			p.toks = append(p.toks, token{tStar, "*", i})
			i++
		case c == '=' || c == '!' || c == '<' || c == '>':
			op := string(c)
			if i+1 < len(s) && s[i+1] == '=' {
				op += "="
			} else if c == '!' {
				return p.errAt(i, "unexpected '!' (did you mean '!='?)")
			}
			p.toks = append(p.toks, token{tOp, op, i})
			i += len(op)
		case c == '\'':
			str, n, err := p.lexString(i)
			if err != nil {
				return err
			}
			p.toks = append(p.toks, token{tString, str, i})
			i += n
		case (c == 't' || c == 'h' || c == 'b') && i+1 < len(s) && s[i+1] == '\'':
			str, n, err := p.lexString(i + 1)
			if err != nil {
				return err
			}
			k := map[byte]tokKind{'t': tTime, 'h': tHex, 'b': tBinary}[c]
			p.toks = append(p.toks, token{k, str, i})
			i += 1 + n
		case c == '.' && !(i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'):
			p.toks = append(p.toks, token{tDot, ".", i})
			i++
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			j := i
			if c == '-' || c == '+' {
				j++
			}
			digits, dot := 0, false
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && !dot) {
				if s[j] == '.' {
					dot = true
				} else {
					digits++
				}
				j++
			}
			if digits == 0 {
				return p.errAt(i, "unexpected %q", string(c))
			}
			k := tInt
			if dot {
				k = tFloat
			}
			p.toks = append(p.toks, token{k, s[i:j], i})
			i = j
		case isIdentStart(c):
			j := i
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			w := s[i:j]
			switch {
			case keywords[w]:
				p.toks = append(p.toks, token{tKeyword, w, i})
			case w == "true" || w == "false":
				p.toks = append(p.toks, token{tBool, w, i})
			default:
				p.toks = append(p.toks, token{tIdent, w, i})
			}
			i = j
		default:
			r := []rune(s[i:min(len(s), i+4)])
			return p.errAt(i, "unexpected character %q", string(r[0]))
		}
	}
	p.toks = append(p.toks, token{tEOF, "", len(s)})
	return nil
}

// lexString reads a '…' literal at s[i] (the opening quote); only \' and
// \\ are escapes. It returns the content and the bytes consumed.
func (p *parser) lexString(i int) (string, int, error) {
	s := p.src
	var b strings.Builder
	j := i + 1
	for j < len(s) {
		switch s[j] {
		case '\\':
			if j+1 < len(s) && (s[j+1] == '\'' || s[j+1] == '\\') {
				b.WriteByte(s[j+1])
				j += 2
				continue
			}
			return "", 0, p.errAt(j, "bad escape in string (only \\' and \\\\ are allowed)")
		case '\'':
			return b.String(), j + 1 - i, nil
		}
		b.WriteByte(s[j])
		j++
	}
	return "", 0, p.errAt(i, "string not closed")
}

// ---- AST ----

type node interface{ off() int }

// boolNode joins observation expressions (obs=true) or comparisons with
// AND, OR or FOLLOWEDBY.
type boolNode struct {
	op    string
	obs   bool
	terms []node
	at    int
	opAt  int // offset of the first operator keyword
}

type obsNode struct {
	inner      node // comparison expression, or observation expressions in ( )
	qualifiers []token
	at         int
}

type testNode struct {
	negated bool
	path    objectPath
	op      string // = != < … LIKE MATCHES IN ISSUBSET ISSUPERSET EXISTS
	value   token
	at      int
}

type objectPath struct {
	objectType string
	steps      []pathStep
	text       string
}

type pathStep struct {
	name   string // property name (unquoted), or "" for an index
	quoted bool
	index  string // "*" or a number, for list steps
}

func (n *boolNode) off() int { return n.at }
func (n *obsNode) off() int  { return n.at }
func (n *testNode) off() int { return n.at }

// ---- parser ----

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) isKeyword(w string) bool {
	t := p.peek()
	return t.kind == tKeyword && t.text == w
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of pattern"
	case tString:
		return "string '" + t.text + "'"
	}
	if t.kind == tIdent && strings.ToUpper(t.text) != t.text && keywords[strings.ToUpper(t.text)] {
		return fmt.Sprintf("%q (STIX keywords are upper case)", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxNesting {
		return p.errAt(off, "nested deeper than %d levels", maxNesting)
	}
	return nil
}

func (p *parser) parsePattern() (node, error) {
	if p.peek().kind == tEOF {
		return nil, p.errAt(0, "empty pattern")
	}
	n, err := p.parseObsExprs()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errAt(t.off, "unexpected %s after the end of the pattern", describe(t))
	}
	return n, nil
}

// parseObsExprs: or ( FOLLOWEDBY or )*
func (p *parser) parseObsExprs() (node, error) {
	return p.parseBinary("FOLLOWEDBY", true, p.parseObsOr)
}

func (p *parser) parseObsOr() (node, error) {
	return p.parseBinary("OR", true, p.parseObsAnd)
}

func (p *parser) parseObsAnd() (node, error) {
	return p.parseBinary("AND", true, p.parseObservation)
}

func (p *parser) parseBinary(op string, obs bool, sub func() (node, error)) (node, error) {
	first, err := sub()
	if err != nil {
		return nil, err
	}
	if !p.isKeyword(op) {
		return first, nil
	}
	b := &boolNode{op: op, obs: obs, terms: []node{first}, at: first.off(), opAt: p.peek().off}
	for p.isKeyword(op) {
		p.next()
		n, err := sub()
		if err != nil {
			return nil, err
		}
		b.terms = append(b.terms, n)
	}
	return b, nil
}

func (p *parser) parseObservation() (node, error) {
	t := p.next()
	if err := p.enter(t.off); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	o := &obsNode{at: t.off}
	switch t.kind {
	case tLBrack:
		inner, err := p.parseCompOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRBrack {
			return nil, p.errAt(c.off, "expected ']' or OR, found %s", describe(c))
		}
		o.inner = inner
	case tLParen:
		inner, err := p.parseObsExprs()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errAt(c.off, "expected ')', found %s", describe(c))
		}
		o.inner = inner
	default:
		return nil, p.errAt(t.off, "expected '[' to start an observation expression, found %s", describe(t))
	}
	for {
		q := p.peek()
		if q.kind != tKeyword {
			break
		}
		switch q.text {
		case "WITHIN":
			p.next()
			if n := p.next(); n.kind != tInt && n.kind != tFloat {
				return nil, p.errAt(n.off, "WITHIN needs a number of seconds, found %s", describe(n))
			}
			if s := p.next(); s.kind != tKeyword || s.text != "SECONDS" {
				return nil, p.errAt(s.off, "expected SECONDS, found %s", describe(s))
			}
		case "REPEATS":
			p.next()
			if n := p.next(); n.kind != tInt {
				return nil, p.errAt(n.off, "REPEATS needs a whole number, found %s", describe(n))
			}
			if s := p.next(); s.kind != tKeyword || s.text != "TIMES" {
				return nil, p.errAt(s.off, "expected TIMES, found %s", describe(s))
			}
		case "START":
			p.next()
			if n := p.next(); n.kind != tTime {
				return nil, p.errAt(n.off, "START needs a t'…' timestamp, found %s", describe(n))
			}
			if s := p.next(); s.kind != tKeyword || s.text != "STOP" {
				return nil, p.errAt(s.off, "expected STOP, found %s", describe(s))
			}
			if n := p.next(); n.kind != tTime {
				return nil, p.errAt(n.off, "STOP needs a t'…' timestamp, found %s", describe(n))
			}
		default:
			return o, nil
		}
		o.qualifiers = append(o.qualifiers, q)
	}
	return o, nil
}

func (p *parser) parseCompOr() (node, error) {
	return p.parseBinary("OR", false, p.parseCompAnd)
}

func (p *parser) parseCompAnd() (node, error) {
	return p.parseBinary("AND", false, p.parseTest)
}

func (p *parser) parseTest() (node, error) {
	t := p.peek()
	if err := p.enter(t.off); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	if t.kind == tLParen {
		p.next()
		inner, err := p.parseCompOr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errAt(c.off, "expected ')', found %s", describe(c))
		}
		return inner, nil
	}
	n := &testNode{at: t.off}
	if p.isKeyword("EXISTS") {
		p.next()
		path, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		n.path, n.op = path, "EXISTS"
		return n, nil
	}
	if p.isKeyword("NOT") {
		p.next()
		n.negated = true
	}
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	n.path = path
	if p.isKeyword("NOT") {
		p.next()
		n.negated = !n.negated
	}
	op := p.next()
	switch {
	case op.kind == tOp && op.text != "==":
		n.op = op.text
		v := p.next()
		switch v.kind {
		case tString, tInt, tFloat, tBool, tTime, tHex, tBinary:
			n.value = v
		default:
			return nil, p.errAt(v.off, "expected a value after %s, found %s", op.text, describe(v))
		}
	case op.kind == tOp:
		return nil, p.errAt(op.off, "'==' is not a STIX operator (use '=')")
	case op.kind == tKeyword && (op.text == "LIKE" || op.text == "MATCHES" || op.text == "ISSUBSET" || op.text == "ISSUPERSET"):
		n.op = op.text
		v := p.next()
		if v.kind != tString {
			return nil, p.errAt(v.off, "%s needs a string, found %s", op.text, describe(v))
		}
		n.value = v
	case op.kind == tKeyword && op.text == "IN":
		n.op = "IN"
		if c := p.next(); c.kind != tLParen {
			return nil, p.errAt(c.off, "IN needs a ( … ) list, found %s", describe(c))
		}
		for {
			v := p.next()
			switch v.kind {
			case tString, tInt, tFloat, tBool, tTime, tHex, tBinary:
			default:
				return nil, p.errAt(v.off, "expected a value in the IN list, found %s", describe(v))
			}
			c := p.next()
			if c.kind == tRParen {
				break
			}
			if c.kind != tComma {
				return nil, p.errAt(c.off, "expected ',' or ')' in the IN list, found %s", describe(c))
			}
		}
	default:
		return nil, p.errAt(op.off, "expected a comparison operator after %s, found %s", path.text, describe(op))
	}
	return n, nil
}

// parsePath reads object-type:property(.step|['step']|[index])*.
func (p *parser) parsePath() (objectPath, error) {
	var op objectPath
	t := p.next()
	if t.kind != tIdent {
		return op, p.errAt(t.off, "expected an object type such as domain-name, found %s", describe(t))
	}
	op.objectType = t.text
	start := t.off
	if c := p.next(); c.kind != tColon {
		return op, p.errAt(c.off, "expected ':' after object type %q, found %s", t.text, describe(c))
	}
	first := p.next()
	switch first.kind {
	case tIdent:
		op.steps = append(op.steps, pathStep{name: first.text})
	case tString:
		op.steps = append(op.steps, pathStep{name: first.text, quoted: true})
	default:
		return op, p.errAt(first.off, "expected a property name after %q, found %s", t.text+":", describe(first))
	}
	end := p.toks[p.pos-1]
	for {
		c := p.peek()
		if c.kind == tDot {
			p.next()
			s := p.next()
			switch s.kind {
			case tIdent:
				op.steps = append(op.steps, pathStep{name: s.text})
			case tString:
				op.steps = append(op.steps, pathStep{name: s.text, quoted: true})
			default:
				return op, p.errAt(s.off, "expected a property name after '.', found %s", describe(s))
			}
			end = s
			continue
		}
		if c.kind == tLBrack {
			p.next()
			s := p.next()
			if s.kind != tInt && s.kind != tStar {
				return op, p.errAt(s.off, "expected a list index or '*', found %s", describe(s))
			}
			e := p.next()
			if e.kind != tRBrack {
				return op, p.errAt(e.off, "expected ']' after the list index, found %s", describe(e))
			}
			op.steps = append(op.steps, pathStep{index: s.text})
			end = e
			continue
		}
		break
	}
	op.text = p.src[start:tokenEnd(p.src, end)]
	return op, nil
}

// tokenEnd returns the byte offset just past t.
func tokenEnd(src string, t token) int {
	switch t.kind {
	case tString:
		// find the closing quote honouring escapes
		j := t.off + 1
		for j < len(src) {
			if src[j] == '\\' {
				j += 2
				continue
			}
			if src[j] == '\'' {
				return j + 1
			}
			j++
		}
		return len(src)
	}
	return t.off + len(t.text)
}

// ---- support checks ----

func checkStructure(src string, n node) *PatternError {
	switch n := n.(type) {
	case *boolNode:
		if n.op != "OR" {
			what := "comparisons that must all hold in one observation"
			if n.obs && n.op == "AND" {
				what = "observations that must all be seen"
			} else if n.op == "FOLLOWEDBY" {
				what = "observations that must be seen in order"
			}
			return &PatternError{Pattern: src, Offset: n.opAt, Reason: fmt.Sprintf("%s joins %s; only OR is supported", n.op, what)}
		}
		for _, t := range n.terms {
			if err := checkStructure(src, t); err != nil {
				return err
			}
		}
	case *obsNode:
		if len(n.qualifiers) > 0 {
			q := n.qualifiers[0]
			return &PatternError{Pattern: src, Offset: q.off, Reason: fmt.Sprintf("qualifier %s is not supported (a backup is one snapshot, without observation times)", q.text)}
		}
		return checkStructure(src, n.inner)
	case *testNode:
		if n.negated {
			return &PatternError{Pattern: src, Offset: n.at, Reason: "NOT is not supported (only equality comparisons are)"}
		}
	}
	return nil
}

func collectTests(n node, out *[]*testNode) {
	switch n := n.(type) {
	case *boolNode:
		for _, t := range n.terms {
			collectTests(t, out)
		}
	case *obsNode:
		collectTests(n.inner, out)
	case *testNode:
		*out = append(*out, n)
	}
}

// supportedPaths names the object paths that can be used, for messages.
const supportedPaths = "domain-name:value, url:value, email-addr:value, app:id, file:name, file:hashes.sha256 (or 'SHA-256'), android-property:name"

// kindOf maps an object path to an indicator kind, or "" when unsupported.
// reason explains a known but unsupported path.
func kindOf(p objectPath) (kind, reason string) {
	names := make([]string, 0, len(p.steps))
	for _, s := range p.steps {
		if s.index != "" {
			return "", "list steps in object paths are not supported"
		}
		names = append(names, s.name)
	}
	one := len(names) == 1
	switch p.objectType {
	case "domain-name":
		if one && names[0] == "value" {
			return report.IndicatorDomain, ""
		}
	case "url":
		if one && names[0] == "value" {
			return report.IndicatorURL, ""
		}
	case "email-addr":
		if one && names[0] == "value" {
			return report.IndicatorEmail, ""
		}
	case "app":
		if one && names[0] == "id" {
			return report.IndicatorApp, ""
		}
	case "android-property":
		if one && names[0] == "name" {
			return report.IndicatorProperty, ""
		}
	case "file":
		if one && names[0] == "name" {
			return report.IndicatorFileName, ""
		}
		if len(names) == 2 && names[0] == "hashes" {
			switch hashName(names[1]) {
			case "sha256":
				return report.IndicatorSHA256, ""
			case "md5", "sha1", "sha512", "sha3256", "sha3512", "ssdeep", "tlsh":
				return "", fmt.Sprintf("file hash %s is not supported: the report keeps SHA-256 of every file, nothing else", names[1])
			}
		}
		if one && names[0] == "path" || one && names[0] == "parent_directory_ref" {
			return "", "file paths are not compared (paths inside a backup differ from paths on the phone); use file:name"
		}
	case "ipv4-addr", "ipv6-addr":
		return "", p.objectType + " is not supported: only domain names of links are compared"
	case "process":
		return "", "process names are not in a backup (they come from a live phone)"
	}
	return "", fmt.Sprintf("object path %s is not supported (supported: %s)", p.text, supportedPaths)
}

func hashName(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("-", "", "_", "").Replace(s)
	return s
}

// comparison checks a test and normalises its value.
func (t *testNode) comparison(src string) (Comparison, *PatternError) {
	perr := func(invalid bool, format string, a ...any) *PatternError {
		return &PatternError{Pattern: src, Offset: t.at, Invalid: invalid, Reason: fmt.Sprintf(format, a...)}
	}
	kind, why := kindOf(t.path)
	if kind == "" {
		return Comparison{}, perr(false, "%s", why)
	}
	if t.op != "=" {
		return Comparison{}, perr(false, "operator %s is not supported on %s (only = is)", t.op, t.path.text)
	}
	if t.value.kind != tString {
		return Comparison{}, perr(false, "%s is compared with a non-string value", t.path.text)
	}
	raw := t.value.text
	v, err := normalizeValue(kind, raw)
	if err != nil {
		return Comparison{}, perr(true, "%s value %q: %v", t.path.text, truncate(raw, 80), err)
	}
	return Comparison{Kind: kind, Path: t.path.text, Raw: raw, Value: v, Offset: t.at}, nil
}

// normalizeValue turns an indicator value into its matching form.
func normalizeValue(kind, raw string) (string, error) {
	switch kind {
	case report.IndicatorDomain:
		d, err := NormalizeDomain(raw)
		if err != nil {
			return "", err
		}
		if !strings.Contains(d, ".") && !strings.Contains(d, ":") {
			return "", fmt.Errorf("a single label would match every domain under it")
		}
		return d, nil
	case report.IndicatorURL:
		u, err := NormalizeURL(raw)
		if err != nil {
			return "", err
		}
		return u.String(), nil
	case report.IndicatorEmail:
		return NormalizeEmail(raw)
	case report.IndicatorApp:
		if !validPackage(raw) {
			return "", fmt.Errorf("not an Android package name")
		}
		return raw, nil
	case report.IndicatorFileName:
		if raw == "" || strings.ContainsAny(raw, "/\x00") {
			return "", fmt.Errorf("not a file name (empty, or contains '/' or NUL)")
		}
		return raw, nil
	case report.IndicatorSHA256:
		h := strings.ToLower(strings.TrimSpace(raw))
		if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			return "", fmt.Errorf("not a SHA-256 (64 hex digits)")
		}
		return h, nil
	case report.IndicatorProperty:
		if raw == "" || strings.ContainsAny(raw, " \t\r\n=") {
			return "", fmt.Errorf("not a property name")
		}
		return raw, nil
	}
	return "", fmt.Errorf("unknown kind %s", kind)
}

// String renders the comparison in pattern syntax.
func (c Comparison) String() string {
	return "[" + c.Path + " = '" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(c.Raw) + "']"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
