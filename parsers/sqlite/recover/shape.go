package recover

import (
	"strings"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A shape is the record signature of one rowid table: which columns are
// stored in the record, their affinities and constraints.
type shape struct {
	t        *sqlite.Table
	name     string
	dropped  bool // from a recovered CREATE statement, no longer in the schema
	internal bool // sqlite_sequence, sqlite_stat*: matched (to absorb their records) but never reported
	inferred bool // known only from its records (no CREATE statement): no name, no affinities
	idx      int  // position in carver.shapes

	fieldCol  []int // record field i → table column
	aff       []sqlite.Affinity
	notNull   []bool
	strict    []string // STRICT tables: upper-cased declared type per field, else nil
	alias     int      // field index of the INTEGER PRIMARY KEY rowid alias, -1 if none
	aliasCol  int      // column index of the alias, -1
	minFields int      // shortest record accepted (columns added by ALTER TABLE ADD COLUMN)
	nCols     int
	stored    int    // fields other than the rowid alias
	isReal    []bool // per column
	defaults  []sqlite.Value
	columns   []string
	masks     []uint8 // inferred tables: value classes seen per field

	// Largest rowid and payload of the table's live rows (or the rowid in
	// sqlite_sequence): a freed cell's rowid and payload-size varints
	// are not much longer. 0 when unknown.
	maxRowid   int64
	maxPayload int64

	// Sizes in bytes of the first stored field of the live rows (up to
	// maxSize0 distinct ones) and how many live rows were seen: a freed
	// cell's first field, whose type was lost, usually has one of them.
	size0  map[int]bool
	nLive0 int
}

// maxSize0 bounds the distinct first-field sizes kept per table.
const maxSize0 = 256

// noteLive records the record header of a live cell of s (its local
// payload).
func (s *shape) noteLive(local []byte) {
	if s.alias == 0 || len(s.fieldCol) == 0 {
		return // the first field is the rowid alias: its type is never lost
	}
	_, n := sqlite.Varint(local)
	if n == 0 || n >= len(local) {
		return
	}
	t, m := sqlite.Varint(local[n:])
	if m == 0 {
		return
	}
	if s.size0 == nil {
		s.size0 = map[int]bool{}
	}
	s.nLive0++
	if len(s.size0) < maxSize0 {
		s.size0[serialSize(t)] = true
	}
}

// unusualSize0 reports a first-field size that no live row of s has, when
// enough live rows were seen to tell.
func (s *shape) unusualSize0(size int) bool {
	return s.nLive0 >= 8 && len(s.size0) < maxSize0 && !s.size0[size]
}

// maxPrefix bounds the bytes the payload-size and rowid varints of a cell
// of s take: deleted rows had rowids up to a little past the largest
// known one, and payloads of the same order as the live ones.
func (s *shape) maxPrefix(usable int) int {
	if s.maxRowid <= 0 || s.maxPayload <= 0 {
		return 13
	}
	r := varintLen(uint64(s.maxRowid)*4 + 4096)
	p := varintLen(uint64(max(s.maxPayload*4, int64(4*usable))))
	return min(13, r+p)
}

// newShape builds the signature of t; nil for tables that are not recovered
// (virtual tables, WITHOUT ROWID tables, unreadable schemas).
func newShape(t *sqlite.Table, dropped bool) *shape {
	if t == nil || t.Type == "virtual" || t.WithoutRowID || len(t.Columns) == 0 {
		return nil
	}
	s := &shape{t: t, name: t.Name, dropped: dropped, alias: -1, aliasCol: t.RowIDColumn, nCols: len(t.Columns)}
	lname := strings.ToLower(t.Name)
	s.internal = strings.HasPrefix(lname, "sqlite_") && lname != "sqlite_schema" && lname != "sqlite_master"
	s.columns = t.ColumnNames()
	s.isReal = make([]bool, len(t.Columns))
	s.defaults = make([]sqlite.Value, len(t.Columns))
	for i, c := range t.Columns {
		s.isReal[i] = c.Affinity == sqlite.AffinityReal
		d := c.Default
		if s.isReal[i] && d.Kind == sqlite.Integer {
			d = sqlite.RealValue(float64(d.Int))
		}
		s.defaults[i] = d
		if c.Generated == sqlite.GeneratedVirtual {
			continue
		}
		if i == t.RowIDColumn {
			s.alias = len(s.fieldCol)
		}
		s.fieldCol = append(s.fieldCol, i)
		s.aff = append(s.aff, c.Affinity)
		s.notNull = append(s.notNull, c.NotNull || (c.PrimaryKey && t.Strict))
		if t.Strict {
			s.strict = append(s.strict, strings.ToUpper(strings.TrimSpace(c.Type)))
		}
	}
	if len(s.fieldCol) == 0 {
		return nil
	}
	// Trailing columns may have been added by ALTER TABLE ADD COLUMN; older
	// records then stop before them. Such a column cannot be a PRIMARY KEY
	// and must be nullable or have a default.
	s.minFields = len(s.fieldCol)
	for f := len(s.fieldCol) - 1; f >= 1; f-- {
		c := t.Columns[s.fieldCol[f]]
		if c.PrimaryKey || f == s.alias || (c.NotNull && !c.HasDefault) {
			break
		}
		s.minFields = f
	}
	s.stored = len(s.fieldCol)
	if s.alias >= 0 {
		s.stored--
	}
	// Short records give weak signatures: never accept fewer than two
	// fields, nor fewer than half of the table.
	s.minFields = max(s.minFields, min(2, len(s.fieldCol)), (len(s.fieldCol)+1)/2)
	return s
}

// Type-fit verdicts for one field.
const (
	fitNo      = 0.0  // impossible for this column
	fitOK      = 1.0  // what the column normally holds
	fitUnusual = 0.75 // possible but unusual (text in an INTEGER column)
)

// typeFit tells how well serial type st fits field f of s, without looking at
// the value. The rules follow sqlite.org/datatype3.html: a TEXT column never
// stores numbers, numeric columns store numbers when they can, NOT NULL
// columns store no NULL, the rowid alias is always stored as NULL.
func (s *shape) typeFit(f int, st uint64) float64 {
	if st == 10 || st == 11 {
		return fitNo
	}
	if s.masks != nil && f != s.alias {
		return maskFit(s.masks[f], st)
	}
	if f == s.alias {
		if st == 0 {
			return fitOK
		}
		return fitNo
	}
	if st == 0 {
		if s.notNull[f] {
			return fitNo
		}
		return fitOK
	}
	isInt := st <= 6 || st == 8 || st == 9
	isReal := st == 7
	isText := st >= 13 && st&1 == 1
	isBlob := st >= 12 && st&1 == 0
	if s.strict != nil {
		switch s.strict[f] {
		case "INT", "INTEGER":
			if isInt {
				return fitOK
			}
			return fitNo
		case "REAL":
			if isInt || isReal {
				return fitOK
			}
			return fitNo
		case "TEXT":
			if isText {
				return fitOK
			}
			return fitNo
		case "BLOB":
			if isBlob {
				return fitOK
			}
			return fitNo
		}
		return fitOK // ANY
	}
	switch s.aff[f] {
	case sqlite.AffinityText:
		if isInt || isReal {
			return fitNo
		}
		if isBlob {
			return fitUnusual
		}
		return fitOK
	case sqlite.AffinityInteger, sqlite.AffinityNumeric, sqlite.AffinityReal:
		if isText || isBlob {
			return fitUnusual
		}
		if s.aff[f] == sqlite.AffinityReal && (st == 6) {
			// A REAL column stores an integral real as an integer only
			// when that is shorter than the 8-byte real.
			return fitNo
		}
		return fitOK
	}
	return fitOK
}
