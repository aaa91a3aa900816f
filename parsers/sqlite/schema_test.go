package sqlite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestParseCreateTable(t *testing.T) {
	cases := []struct {
		sql      string
		cols     string // name:type:affinity, ...
		rowid    int
		pk       string
		wr       bool
		defaults string
	}{
		{`CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)`, "a:INTEGER:INTEGER,b:TEXT:TEXT", 0, "[0]", false, ""},
		{`CREATE TABLE t (a INTEGER PRIMARY KEY DESC, b)`, "a:INTEGER:INTEGER,b::BLOB", -1, "[0]", false, ""},
		{`CREATE TABLE t (a integer, b, PRIMARY KEY (a DESC))`, "a:integer:INTEGER,b::BLOB", 0, "[0]", false, ""},
		{`CREATE TABLE t (a INT PRIMARY KEY, b)`, "a:INT:INTEGER,b::BLOB", -1, "[0]", false, ""},
		{`CREATE TABLE t (a, b, c, PRIMARY KEY (c, a)) WITHOUT ROWID`, "a::BLOB,b::BLOB,c::BLOB", -1, "[2 0]", true, ""},
		{"CREATE TABLE \"x\" ([\"name\" NOT NULL,] TEXT, 'surname' TEXT)", `"name" NOT NULL,:TEXT:TEXT,surname:TEXT:TEXT`, -1, "[]", false, ""},
		{`CREATE TABLE 'users' ('name' TEXT NOT NULL, 'number' "INTEGER(11,0)")`, "name:TEXT:TEXT,number:INTEGER(11,0):INTEGER", -1, "[]", false, ""},
		{"CREATE TABLE t (`a``b` VARCHAR ( 10 ) COLLATE nocase, \"c\"\"d\" DOUBLE PRECISION DEFAULT -1, e FLOATING POINT)",
			"a`b:VARCHAR ( 10 ):TEXT,c\"d:DOUBLE PRECISION:REAL,e:FLOATING POINT:INTEGER", -1, "[]", false, "c\"d=-1.0"},
		{`CREATE TABLE t (a /* comment, with comma */ TEXT -- x, y
			, b DEFAULT 'it''s', c DEFAULT (5), d DEFAULT x'CAFE', e INTEGER DEFAULT '12', f TEXT DEFAULT 12, g DEFAULT CURRENT_TIMESTAMP, h DEFAULT TRUE)`,
			"a:TEXT:TEXT,b::BLOB,c::BLOB,d::BLOB,e:INTEGER:INTEGER,f:TEXT:TEXT,g::BLOB,h::BLOB", -1, "[]", false,
			"b=it's,c=5,d=x'CAFE',e=12,f=12,g=NULL,h=1"},
		{`CREATE TABLE t (a, b AS (a*2), c INT GENERATED ALWAYS AS (a+1) STORED, CONSTRAINT pk PRIMARY KEY (a), UNIQUE (b), CHECK (a > 0))`,
			"a::BLOB,b::BLOB,c:INT:INTEGER", -1, "[0]", false, ""},
		{`CREATE TABLE IF NOT EXISTS main."select" ("primary" KEY, "unique" TEXT CHECK ("unique" <> ''), [order] "group") STRICT`,
			"primary:KEY:NUMERIC,unique:TEXT:TEXT,order:group:NUMERIC", -1, "[]", false, ""},
	}
	for _, c := range cases {
		tb := &Table{Name: "t"}
		if err := parseCreateTable(tb, c.sql); err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		var cols, defs []string
		for _, col := range tb.Columns {
			cols = append(cols, col.Name+":"+col.Type+":"+col.Affinity.String())
			if col.HasDefault {
				defs = append(defs, col.Name+"="+col.Default.String())
			}
		}
		if got := strings.Join(cols, ","); got != c.cols {
			t.Errorf("%s:\n columns %s\n want    %s", c.sql, got, c.cols)
		}
		if tb.RowIDColumn != c.rowid || fmt.Sprint(tb.PrimaryKey) != c.pk && !(c.pk == "[]" && tb.PrimaryKey == nil) || tb.WithoutRowID != c.wr {
			t.Errorf("%s: rowid %d pk %v wr %v", c.sql, tb.RowIDColumn, tb.PrimaryKey, tb.WithoutRowID)
		}
		if got := strings.Join(defs, ","); got != c.defaults {
			t.Errorf("%s: defaults %s, want %s", c.sql, got, c.defaults)
		}
	}
	tb := &Table{Name: "t"}
	if err := parseCreateTable(tb, `CREATE TABLE t (a, b AS (a*2) VIRTUAL, c AS (a) STORED)`); err != nil {
		t.Fatal(err)
	}
	if tb.Columns[1].Generated != GeneratedVirtual || tb.Columns[2].Generated != GeneratedStored {
		t.Errorf("generated: %+v", tb.Columns)
	}
	v := &Table{Name: "v"}
	parseCreateTable(v, `CREATE VIRTUAL TABLE v USING fts4(name TEXT, 'surname', tokenize=porter)`)
	if v.Type != "virtual" || v.Module != "fts4" || strings.Join(v.ColumnNames(), ",") != "name,surname" || len(v.ModuleArgs) != 3 {
		t.Errorf("virtual: %+v", v)
	}
	for _, bad := range []string{"", "CREATE INDEX i ON t(a)", "CREATE TABLE t", "CREATE TABLE t (a, PRIMARY KEY (zz))", "CREATE TABLE t (a) WITHOUT ROWID"} {
		if err := parseCreateTable(&Table{Name: "t"}, bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestValueJSON(t *testing.T) {
	cases := []struct {
		v    Value
		want string
	}{
		{Value{}, `null`},
		{IntValue(math.MaxInt64), `9223372036854775807`},
		{IntValue(-(1 << 53) - 1), `-9007199254740993`},
		{RealValue(1), `1.0`},
		{RealValue(math.Copysign(0, -1)), `-0.0`},
		{RealValue(0.1), `0.1`},
		{RealValue(1e21), `1e+21`},
		{RealValue(1e-7), `1e-07`},
		{RealValue(123456789012345680), `123456789012345680.0`},
		{RealValue(math.Inf(1)), `{"real":"Infinity"}`},
		{RealValue(math.Inf(-1)), `{"real":"-Infinity"}`},
		{RealValue(math.NaN()), `{"real":"NaN"}`},
		{TextValue("a\"b\\c\n\x01\u2028é😀"), `"a\"b\\c\n\u0001\u2028é😀"`},
		{Value{Kind: Text, Bytes: []byte{'a', 0xff, 'b'}}, `"a` + "\uFFFD" + `b"`},
		{BlobValue([]byte{0, 1, 2, 0xff}), `{"base64":"AAEC/w=="}`},
		{BlobValue(nil), `{"base64":""}`},
	}
	for _, c := range cases {
		got, err := json.Marshal(c.v)
		if err != nil || string(got) != c.want && !json.Valid(got) {
			t.Errorf("%v: %s, %v", c.v, got, err)
		}
		if string(c.v.AppendJSON(nil)) != c.want {
			t.Errorf("AppendJSON(%v) = %s, want %s", c.v.Kind, c.v.AppendJSON(nil), c.want)
		}
		if !json.Valid([]byte(c.want)) {
			t.Errorf("invalid JSON %s", c.want)
		}
		if c.v.Kind == Real && !math.IsInf(c.v.Float, 0) && !math.IsNaN(c.v.Float) {
			var f float64
			dec := json.NewDecoder(bytes.NewReader([]byte(c.want)))
			dec.UseNumber()
			var n json.Number
			if dec.Decode(&n) != nil || strings.IndexAny(string(n), ".e") < 0 {
				t.Errorf("%s does not read back as a real", c.want)
			}
			json.Unmarshal([]byte(c.want), &f)
			if math.Float64bits(f) != math.Float64bits(c.v.Float) {
				t.Errorf("%s does not round-trip", c.want)
			}
		}
	}
	if i, ok := TextValue(" 42 ").AsInt64(); !ok || i != 42 {
		t.Error("AsInt64 text")
	}
	if _, ok := RealValue(1.5).AsInt64(); ok {
		t.Error("AsInt64 1.5")
	}
	if BlobValue([]byte{0xab}).String() != "x'AB'" || (Value{}).String() != "NULL" || !(Value{}).IsNull() {
		t.Error("String")
	}
	r := Row{Values: []Value{TextValue("x")}}
	c := r.Clone()
	c.Values[0].Bytes[0] = 'y'
	if r.Values[0].String() != "x" {
		t.Error("Clone shares memory")
	}
}

func TestCacheBounded(t *testing.T) {
	db := openPath(t, "testdata/sqlite-corpus/05/05-03.db", false)
	p := db.pager
	if p.capBytes != defaultCacheBytes {
		t.Errorf("default cache %d", p.capBytes)
	}
	small, err := openBytes(t, readTestFile(t, "testdata/sqlite-corpus/05/05-03.db"), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	_ = small
	f := readTestFile(t, "testdata/synthetic/utf16le-autovacuum.db")
	db2, err := Open(bytes.NewReader(f), int64(len(f)), &Options{CachePages: 1})
	if err != nil {
		t.Fatal(err)
	}
	n1, _ := readAll(db2)
	n2, _ := readAll(openPathDB(t, "testdata/synthetic/utf16le-autovacuum.db"))
	if n1 != n2 || n1 == 0 {
		t.Errorf("tiny cache read %d rows, default %d", n1, n2)
	}
	p2 := db2.pager
	if p2.used > p2.capBytes || len(p2.cache) > int(p2.capBytes/int64(p2.pageSize)) {
		t.Errorf("cache holds %d bytes in %d entries, cap %d", p2.used, len(p2.cache), p2.capBytes)
	}
}

func openPathDB(t *testing.T, path string) *DB { return openPath(t, path, false) }
