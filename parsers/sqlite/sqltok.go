package sqlite

import "strings"

// A minimal SQLite SQL tokenizer, enough to read CREATE TABLE and CREATE
// VIRTUAL TABLE statements as stored in sqlite_schema.

type tokKind uint8

const (
	tkEOF    tokKind = iota
	tkID             // bare identifier or keyword
	tkQuoted         // "id", `id` or [id]
	tkString         // 'text'
	tkNumber         // 12, 1.5e3, 0x1F
	tkBlob           // x'ABCD'
	tkPunct          // ( ) , ; . and operators
	tkVar            // ?1 :name @name $name
)

type token struct {
	kind       tokKind
	start, end int    // byte span in the statement
	val        string // dequoted value (identifiers, strings), raw text otherwise
}

func isIDStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIDChar(c byte) bool { return isIDStart(c) || c >= '0' && c <= '9' || c == '$' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// tokenize splits sql into tokens, dropping spaces and comments. It never
// fails: an unterminated quote runs to the end of the text.
func tokenize(sql string) []token {
	var toks []token
	i := 0
	n := len(sql)
	for i < n {
		c := sql[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case c == '-' && i+1 < n && sql[i+1] == '-':
			for i < n && sql[i] != '\n' {
				i++
			}
			continue
		case c == '/' && i+1 < n && sql[i+1] == '*':
			i += 2
			for i < n && !(sql[i] == '*' && i+1 < n && sql[i+1] == '/') {
				i++
			}
			i = min(i+2, n)
			continue
		case c == '\'' || c == '"' || c == '`':
			var b strings.Builder
			i++
			for i < n {
				if sql[i] == c {
					if i+1 < n && sql[i+1] == c {
						b.WriteByte(c)
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(sql[i])
				i++
			}
			k := tkQuoted
			if c == '\'' {
				k = tkString
			}
			toks = append(toks, token{kind: k, start: start, end: i, val: b.String()})
			continue
		case c == '[':
			j := strings.IndexByte(sql[i+1:], ']')
			if j < 0 {
				j = n - i - 1
			}
			val := sql[i+1 : i+1+j]
			i = min(i+1+j+1, n)
			toks = append(toks, token{kind: tkQuoted, start: start, end: i, val: val})
			continue
		case (c == 'x' || c == 'X') && i+1 < n && sql[i+1] == '\'':
			j := strings.IndexByte(sql[i+2:], '\'')
			if j < 0 {
				j = n - i - 2
			}
			val := sql[i+2 : i+2+j]
			i = min(i+2+j+1, n)
			toks = append(toks, token{kind: tkBlob, start: start, end: i, val: val})
			continue
		case isDigit(c) || c == '.' && i+1 < n && isDigit(sql[i+1]):
			if c == '0' && i+1 < n && (sql[i+1] == 'x' || sql[i+1] == 'X') {
				i += 2
				for i < n && (isDigit(sql[i]) || sql[i] >= 'a' && sql[i] <= 'f' || sql[i] >= 'A' && sql[i] <= 'F') {
					i++
				}
			} else {
				for i < n && (isDigit(sql[i]) || sql[i] == '_') {
					i++
				}
				if i < n && sql[i] == '.' {
					i++
					for i < n && (isDigit(sql[i]) || sql[i] == '_') {
						i++
					}
				}
				if i < n && (sql[i] == 'e' || sql[i] == 'E') {
					j := i + 1
					if j < n && (sql[j] == '+' || sql[j] == '-') {
						j++
					}
					if j < n && isDigit(sql[j]) {
						i = j
						for i < n && isDigit(sql[i]) {
							i++
						}
					}
				}
			}
			toks = append(toks, token{kind: tkNumber, start: start, end: i, val: sql[start:i]})
			continue
		case isIDStart(c):
			for i < n && isIDChar(sql[i]) {
				i++
			}
			toks = append(toks, token{kind: tkID, start: start, end: i, val: sql[start:i]})
			continue
		case c == '?' || c == ':' || c == '@' || c == '$':
			i++
			for i < n && isIDChar(sql[i]) {
				i++
			}
			toks = append(toks, token{kind: tkVar, start: start, end: i, val: sql[start:i]})
			continue
		}
		// punctuation / operators: two-character ones first
		if i+1 < n {
			two := sql[i : i+2]
			switch two {
			case "||", "<=", ">=", "==", "!=", "<>", "<<", ">>", "->":
				if two == "->" && i+2 < n && sql[i+2] == '>' {
					two = "->>"
				}
				i += len(two)
				toks = append(toks, token{kind: tkPunct, start: start, end: i, val: two})
				continue
			}
		}
		i++
		toks = append(toks, token{kind: tkPunct, start: start, end: i, val: sql[start:i]})
	}
	return toks
}

// asciiEqualFold compares like SQLite's sqlite3StrICmp: only ASCII letters
// fold.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// isKW reports whether t is the bare keyword kw (kw in upper case).
func (t token) isKW(kw string) bool { return t.kind == tkID && asciiEqualFold(t.val, kw) }

func (t token) isPunct(p string) bool { return t.kind == tkPunct && t.val == p }

// isName reports whether t can serve as a name (identifier, quoted identifier
// or string).
func (t token) isName() bool { return t.kind == tkID || t.kind == tkQuoted || t.kind == tkString }

// splitTopLevel splits toks at commas outside parentheses.
func splitTopLevel(toks []token) [][]token {
	var parts [][]token
	depth, start := 0, 0
	for i, t := range toks {
		if t.kind != tkPunct {
			continue
		}
		switch t.val {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				parts = append(parts, toks[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, toks[start:])
}

// matchParen returns the index of the ")" matching the "(" at toks[i], or
// len(toks) if unbalanced.
func matchParen(toks []token, i int) int {
	depth := 0
	for j := i; j < len(toks); j++ {
		if toks[j].kind != tkPunct {
			continue
		}
		switch toks[j].val {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return len(toks)
}
