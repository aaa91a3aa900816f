package sqlite

import (
	"math"
	"strconv"
	"strings"
)

// SchemaEntry is one row of sqlite_schema (a.k.a. sqlite_master).
type SchemaEntry struct {
	Type     string // "table", "index", "view" or "trigger"
	Name     string
	TblName  string
	RootPage uint32 // 0 for views, triggers, virtual tables
	SQL      string // CREATE statement; empty for automatic indexes
	RowID    int64  // rowid of the row in sqlite_schema
}

// Affinity is a column's type affinity (sqlite.org/datatype3.html §3.1).
type Affinity uint8

// Column affinities.
const (
	AffinityBlob Affinity = iota
	AffinityText
	AffinityNumeric
	AffinityInteger
	AffinityReal
)

func (a Affinity) String() string {
	return [...]string{"BLOB", "TEXT", "NUMERIC", "INTEGER", "REAL"}[a]
}

// TypeAffinity returns the affinity SQLite gives a declared column type.
func TypeAffinity(declType string) Affinity {
	u := strings.ToUpper(declType)
	switch {
	case strings.Contains(u, "INT"):
		return AffinityInteger
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return AffinityText
	case strings.Contains(u, "BLOB"), strings.TrimSpace(u) == "":
		return AffinityBlob
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return AffinityReal
	}
	return AffinityNumeric
}

// Generated-column kinds.
const (
	GeneratedNone    = ""
	GeneratedVirtual = "virtual" // computed on read; not stored, reads as NULL here
	GeneratedStored  = "stored"  // computed on write; stored in the record
)

// Column describes one table column, as declared in the CREATE statement.
type Column struct {
	Name       string // dequoted
	Type       string // declared type as written ("" if none)
	Affinity   Affinity
	PrimaryKey bool
	NotNull    bool
	Collate    string
	// Default is the value rows take when their record is shorter than the
	// table (columns added by ALTER TABLE ADD COLUMN), with the column
	// affinity applied. HasDefault reports a DEFAULT clause; DefaultSQL is its
	// text. Non-constant defaults (CURRENT_TIME, expressions) have
	// HasDefault true, DefaultSQL set and Default NULL.
	Default    Value
	HasDefault bool
	DefaultSQL string
	Generated  string // GeneratedNone, GeneratedVirtual or GeneratedStored
}

// Table describes a table from sqlite_schema.
type Table struct {
	Name         string
	Type         string // "table" or "virtual"
	Columns      []Column
	WithoutRowID bool
	Strict       bool
	RootPage     uint32
	SQL          string
	RowIDColumn  int    // index of the INTEGER PRIMARY KEY (rowid alias) column, or -1
	PrimaryKey   []int  // column indexes of the primary key in key order (nil if none)
	Module       string // virtual tables: module name (fts4, rtree, ...)
	ModuleArgs   []string
	ParseError   error // non-nil if the CREATE statement was not fully understood

	db   *DB
	plan tablePlan
}

// ColumnIndex returns the index of the column called name (ASCII
// case-insensitive, as SQLite compares identifiers), or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.Columns {
		if asciiEqualFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// ColumnNames returns the column names in order.
func (t *Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i := range t.Columns {
		names[i] = t.Columns[i].Name
	}
	return names
}

// tablePlan maps record fields to columns for fast decoding.
type tablePlan struct {
	fieldCol []int32 // record field i → column index
	isReal   []bool  // per column: REAL affinity (stored integers read as reals)
	defaults []Value // per column: value when the record is short
	virtual  []int32 // virtual generated columns (always NULL)
	rowidCol int
	anyReal  bool
}

func (t *Table) buildPlan() {
	n := len(t.Columns)
	p := tablePlan{rowidCol: t.RowIDColumn, isReal: make([]bool, n), defaults: make([]Value, n)}
	stored := func(i int) bool { return t.Columns[i].Generated != GeneratedVirtual }
	if t.WithoutRowID && len(t.PrimaryKey) > 0 {
		inPK := make([]bool, n)
		for _, c := range t.PrimaryKey {
			if !inPK[c] {
				inPK[c] = true
				p.fieldCol = append(p.fieldCol, int32(c))
			}
		}
		for i := range n {
			if !inPK[i] && stored(i) {
				p.fieldCol = append(p.fieldCol, int32(i))
			}
		}
	} else {
		for i := range n {
			if stored(i) {
				p.fieldCol = append(p.fieldCol, int32(i))
			}
		}
	}
	for i := range n {
		c := &t.Columns[i]
		if c.Generated == GeneratedVirtual {
			p.virtual = append(p.virtual, int32(i))
		}
		if c.Affinity == AffinityReal {
			p.isReal[i] = true
			p.anyReal = true
		}
		d := c.Default
		if p.isReal[i] && d.Kind == Integer {
			d = RealValue(float64(d.Int))
		}
		p.defaults[i] = d
	}
	t.plan = p
}

// parseCreateTable fills t from its CREATE TABLE / CREATE VIRTUAL TABLE
// statement. On error t keeps what could be read.
func parseCreateTable(t *Table, sql string) error {
	toks := tokenize(sql)
	t.RowIDColumn = -1
	bad := func(format string, args ...any) error {
		return corruptf(ErrSchema, FileMain, 0, -1, "table %q: "+format, append([]any{t.Name}, args...)...)
	}
	i := 0
	if i >= len(toks) || !toks[i].isKW("CREATE") {
		return bad("statement does not start with CREATE")
	}
	i++
	if i < len(toks) && (toks[i].isKW("TEMP") || toks[i].isKW("TEMPORARY")) {
		i++
	}
	virtual := false
	if i < len(toks) && toks[i].isKW("VIRTUAL") {
		virtual = true
		i++
	}
	if i >= len(toks) || !toks[i].isKW("TABLE") {
		return bad("not a CREATE TABLE statement")
	}
	i++
	if i+2 < len(toks) && toks[i].isKW("IF") && toks[i+1].isKW("NOT") && toks[i+2].isKW("EXISTS") {
		i += 3
	}
	// [schema.]name
	if i < len(toks) && toks[i].isName() {
		i++
		if i+1 < len(toks) && toks[i].isPunct(".") && toks[i+1].isName() {
			i += 2
		}
	}
	if virtual {
		t.Type = "virtual"
		if i >= len(toks) || !toks[i].isKW("USING") || i+1 >= len(toks) {
			return bad("CREATE VIRTUAL TABLE without USING module")
		}
		t.Module = toks[i+1].val
		i += 2
		if i < len(toks) && toks[i].isPunct("(") {
			end := matchParen(toks, i)
			if end > i+1 {
				for _, part := range splitTopLevel(toks[i+1 : end]) {
					if len(part) == 0 {
						continue
					}
					t.ModuleArgs = append(t.ModuleArgs, strings.TrimSpace(sql[part[0].start:part[len(part)-1].end]))
					if vcol, ok := virtualColumn(t.Module, part); ok {
						t.Columns = append(t.Columns, vcol)
					}
				}
			}
		}
		return nil
	}
	t.Type = "table"
	if i >= len(toks) || !toks[i].isPunct("(") {
		return bad("no column list")
	}
	end := matchParen(toks, i)
	if end >= len(toks) {
		return bad("unbalanced parentheses")
	}
	var pkCols []int
	var pkDesc []bool
	var pkErr error
	inConstraints := false
	for _, part := range splitTopLevel(toks[i+1 : end]) {
		if len(part) == 0 {
			continue
		}
		if !inConstraints && part[0].kind == tkID {
			switch strings.ToUpper(part[0].val) {
			case "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
				inConstraints = true
			}
		}
		if inConstraints {
			cols, err := tablePrimaryKey(t, part)
			if err != nil {
				pkErr = err
			}
			if cols != nil {
				pkCols = cols
				pkDesc = nil
			}
			continue
		}
		col, pk, desc := parseColumnDef(sql, part)
		t.Columns = append(t.Columns, col)
		if pk {
			pkCols = []int{len(t.Columns) - 1}
			pkDesc = []bool{desc}
		}
	}
	for _, opt := range splitTopLevel(toks[end+1:]) {
		if len(opt) >= 2 && opt[0].isKW("WITHOUT") && opt[1].isKW("ROWID") {
			t.WithoutRowID = true
		}
		if len(opt) >= 1 && opt[0].isKW("STRICT") {
			t.Strict = true
		}
	}
	for _, c := range pkCols {
		t.Columns[c].PrimaryKey = true
	}
	t.PrimaryKey = pkCols
	if !t.WithoutRowID && len(pkCols) == 1 {
		c := &t.Columns[pkCols[0]]
		// "INTEGER PRIMARY KEY DESC" as a column constraint is not an alias
		// (a documented SQLite quirk).
		if asciiEqualFold(c.Type, "INTEGER") && !(pkDesc != nil && pkDesc[0]) {
			t.RowIDColumn = pkCols[0]
		}
	}
	if len(t.Columns) == 0 {
		return bad("no columns")
	}
	if t.WithoutRowID && len(pkCols) == 0 {
		return bad("WITHOUT ROWID table has no PRIMARY KEY")
	}
	return pkErr
}

// columnStop reports whether t ends the type name of a column definition.
func columnStop(t token) bool {
	if t.kind == tkPunct {
		return t.val != "(" // "(" starts the size arguments
	}
	if t.kind != tkID {
		return false
	}
	switch strings.ToUpper(t.val) {
	case "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT",
		"COLLATE", "REFERENCES", "GENERATED", "AS":
		return true
	}
	return false
}

// parseColumnDef reads one column definition; pk reports a PRIMARY KEY
// column constraint and desc whether it is DESC.
func parseColumnDef(sql string, toks []token) (col Column, pk, desc bool) {
	col.Name = toks[0].val
	i := 1
	typeStart := i
	for i < len(toks) && !columnStop(toks[i]) {
		if toks[i].isPunct("(") {
			i = matchParen(toks, i) + 1
			break
		}
		i++
	}
	i = min(i, len(toks))
	if i > typeStart {
		if i == typeStart+1 && toks[typeStart].kind != tkID && toks[typeStart].kind != tkNumber {
			col.Type = toks[typeStart].val // a lone quoted type name is dequoted
		} else {
			col.Type = sql[toks[typeStart].start:toks[i-1].end]
		}
	}
	col.Affinity = TypeAffinity(col.Type)
	for i < len(toks) {
		t := toks[i]
		switch {
		case t.isKW("CONSTRAINT"):
			i += 2
		case t.isKW("PRIMARY"):
			pk = true
			i++
			if i < len(toks) && toks[i].isKW("KEY") {
				i++
			}
			if i < len(toks) && toks[i].isKW("DESC") {
				desc = true
			}
		case t.isKW("NOT") && i+1 < len(toks) && toks[i+1].isKW("NULL"):
			col.NotNull = true
			i += 2
		case t.isKW("COLLATE") && i+1 < len(toks):
			col.Collate = toks[i+1].val
			i += 2
		case t.isKW("DEFAULT") && i+1 < len(toks):
			j := i + 1
			if toks[j].isPunct("(") {
				j = min(matchParen(toks, j), len(toks)-1)
			} else if (toks[j].isPunct("-") || toks[j].isPunct("+")) && j+1 < len(toks) {
				j++
			}
			col.HasDefault = true
			col.DefaultSQL = sql[toks[i+1].start:toks[j].end]
			col.Default = evalDefault(toks[i+1:j+1], col.Affinity)
			i = j + 1
		case t.isKW("GENERATED") || t.isKW("AS"):
			col.Generated = GeneratedVirtual
			i++
			for i < len(toks) && !toks[i].isPunct("(") {
				i++
			}
			if i < len(toks) {
				i = matchParen(toks, i) + 1
			}
			if i < len(toks) && toks[i].isKW("STORED") {
				col.Generated = GeneratedStored
			}
		case t.isPunct("("):
			i = matchParen(toks, i) + 1
		default:
			i++
		}
	}
	return col, pk, desc
}

// tablePrimaryKey reads a table constraint; for PRIMARY KEY it returns the
// column indexes.
func tablePrimaryKey(t *Table, toks []token) ([]int, error) {
	i := 0
	if i < len(toks) && toks[i].isKW("CONSTRAINT") {
		i += 2
	}
	if i+2 >= len(toks) || !toks[i].isKW("PRIMARY") || !toks[i+1].isKW("KEY") || !toks[i+2].isPunct("(") {
		return nil, nil
	}
	end := matchParen(toks, i+2)
	var cols []int
	for _, part := range splitTopLevel(toks[min(i+3, end):end]) {
		if len(part) == 0 {
			continue
		}
		c := t.ColumnIndex(part[0].val)
		if c < 0 {
			return nil, corruptf(ErrSchema, FileMain, 0, -1, "table %q: PRIMARY KEY names unknown column %q", t.Name, part[0].val)
		}
		cols = append(cols, c)
	}
	return cols, nil
}

// virtualColumn guesses a virtual table column from one module argument:
// options like "tokenize=porter" or "content=..." are not columns.
func virtualColumn(module string, part []token) (Column, bool) {
	if !part[0].isName() {
		return Column{}, false
	}
	for _, t := range part {
		if t.isPunct("=") {
			return Column{}, false
		}
	}
	if strings.HasPrefix(strings.ToLower(module), "rtree") || strings.HasPrefix(part[0].val, "+") {
		return Column{Name: part[0].val}, true
	}
	c := Column{Name: part[0].val}
	if len(part) > 1 && part[1].kind == tkID && !part[1].isKW("UNINDEXED") {
		c.Type = part[1].val
		c.Affinity = TypeAffinity(c.Type)
	}
	return c, true
}

// evalDefault evaluates a constant DEFAULT expression; anything else gives
// NULL.
func evalDefault(toks []token, aff Affinity) Value {
	for len(toks) >= 2 && toks[0].isPunct("(") && toks[len(toks)-1].isPunct(")") {
		toks = toks[1 : len(toks)-1]
	}
	neg := false
	if len(toks) == 2 && (toks[0].isPunct("-") || toks[0].isPunct("+")) && toks[1].kind == tkNumber {
		neg = toks[0].val == "-"
		toks = toks[1:]
	}
	if len(toks) != 1 {
		return Value{}
	}
	t := toks[0]
	var v Value
	switch t.kind {
	case tkNumber:
		v = parseNumber(t.val, neg)
	case tkString:
		v = TextValue(t.val)
	case tkQuoted: // "abc" as a default is a string when no such column exists
		v = TextValue(t.val)
	case tkBlob:
		b, ok := parseHex(t.val)
		if !ok {
			return Value{}
		}
		v = BlobValue(b)
	case tkID:
		switch strings.ToUpper(t.val) {
		case "NULL":
			return Value{}
		case "TRUE":
			v = IntValue(1)
		case "FALSE":
			v = IntValue(0)
		case "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP":
			return Value{}
		default:
			v = TextValue(t.val)
		}
	default:
		return Value{}
	}
	return applyAffinity(v, aff)
}

func parseHex(s string) ([]byte, bool) {
	if len(s)%2 != 0 {
		return nil, false
	}
	b := make([]byte, len(s)/2)
	for i := range b {
		hi, ok1 := hexVal(s[2*i])
		lo, ok2 := hexVal(s[2*i+1])
		if !ok1 || !ok2 {
			return nil, false
		}
		b[i] = hi<<4 | lo
	}
	return b, true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseNumber converts an SQL numeric literal.
func parseNumber(s string, neg bool) Value {
	s = strings.ReplaceAll(s, "_", "")
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return Value{}
		}
		i := int64(u)
		if neg {
			i = -i
		}
		return IntValue(i)
	}
	if neg {
		s = "-" + s
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return IntValue(i)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return Value{}
	}
	return RealValue(f)
}

// applyAffinity converts v as SQLite does when storing into a column of the
// given affinity.
func applyAffinity(v Value, aff Affinity) Value {
	switch aff {
	case AffinityText:
		switch v.Kind {
		case Integer:
			return TextValue(strconv.FormatInt(v.Int, 10))
		case Real:
			return TextValue(formatRealSQL(v.Float))
		}
	case AffinityNumeric, AffinityInteger, AffinityReal:
		if v.Kind == Text {
			s := strings.TrimSpace(string(v.Bytes))
			if s == "" {
				return v
			}
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				v = IntValue(i)
			} else if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXnN_") {
				v = RealValue(f)
				if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
					v = IntValue(int64(f))
				}
			} else {
				return v
			}
		}
		if aff == AffinityReal && v.Kind == Integer {
			return RealValue(float64(v.Int))
		}
	}
	return v
}

// formatRealSQL renders a real the way SQLite converts it to text ("%!.15g").
func formatRealSQL(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return ""
	}
	s := strconv.FormatFloat(f, 'g', 15, 64)
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if hasExp {
		// Go writes e+06; SQLite writes e+06 as well for %g ("1.0e+20").
		return mant + "e" + exp
	}
	return mant
}
