//go:build !js

package recover

// Ground-truth generator: builds databases with modernc.org/sqlite, inserts,
// updates and deletes known rows, records every version each row ever had,
// and which deleted/superseded versions still physically exist in the files.

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
	_ "modernc.org/sqlite"
)

// scenario describes one generated database.
type scenario struct {
	Name         string
	PageSize     int
	Encoding     string // "UTF-8", "UTF-16le", "UTF-16be"
	AutoVacuum   string // "NONE", "FULL", "INCREMENTAL"
	SecureDelete bool
	Journal      string // "delete", "persist", "wal"
	Overflow     bool   // rows larger than a page
	Schema       string // "generic", "mmssms", "contacts2", "calllog"
	Rows         int    // rows inserted per table (about)
	Ops          int    // random updates/deletes/inserts after the initial load
	Seed         int64
	// MinPrecision and MinRecall, when set, replace the bars of issue 9
	// (0.99 and 0.95) for this scenario.
	MinPrecision, MinRecall float64
}

// tcol is one column of a generated table.
type tcol struct {
	name, decl string
	alias      bool // INTEGER PRIMARY KEY
	extra      string
}

type tdef struct {
	name   string
	cols   []tcol
	suffix string // e.g. AUTOINCREMENT goes into extra; table options here
	gen    func(g *gen, marker string) []any
}

func (td *tdef) create() string {
	var parts []string
	for _, c := range td.cols {
		p := quoteIdent(c.name) + " " + c.decl
		if c.alias {
			p += " PRIMARY KEY"
		}
		if c.extra != "" {
			p += " " + c.extra
		}
		parts = append(parts, p)
	}
	return "CREATE TABLE " + quoteIdent(td.name) + " (" + strings.Join(parts, ", ") + ")" + td.suffix
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// version is one state of one row.
type version struct {
	table string
	rowid int64
	vals  []sqlite.Value
}

// gen drives one database.
type gen struct {
	t      testing.TB
	sc     scenario
	db     *sql.DB
	rng    *rand.Rand
	tables map[string]*tdef
	order  []string
	// versions[table][rowid] = every distinct state, in order
	versions map[string]map[int64][][]sqlite.Value
	marker   int
	dropped  map[string]bool
	after    *sql.DB // the final files, opened read-only by modernc
}

func (g *gen) exec(q string, args ...any) sql.Result {
	g.t.Helper()
	r, err := g.db.Exec(q, args...)
	if err != nil {
		g.t.Fatalf("%s: %s: %v", g.sc.Name, trunc(q), err)
	}
	return r
}

func trunc(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

func (g *gen) nextMarker() string {
	g.marker++
	return fmt.Sprintf("Mk%06dq%c%c", g.marker, 'a'+rune(g.rng.Intn(26)), 'a'+rune(g.rng.Intn(26)))
}

// modernValue converts (typeof(x), +x) from modernc into a Value.
func modernValue(typ string, v any) sqlite.Value {
	switch typ {
	case "integer":
		return sqlite.IntValue(v.(int64))
	case "real":
		return sqlite.RealValue(v.(float64))
	case "text":
		switch s := v.(type) {
		case string:
			return sqlite.TextValue(s)
		case []byte:
			return sqlite.Value{Kind: sqlite.Text, Bytes: append([]byte(nil), s...)}
		}
	case "blob":
		b, _ := v.([]byte)
		return sqlite.BlobValue(append([]byte{}, b...))
	}
	return sqlite.Value{}
}

// readRow reads one row as SQLite returns it; ok false if it is gone.
func (g *gen) readRow(table string, rowid int64) ([]sqlite.Value, bool) {
	td := g.tables[table]
	var sel []string
	for _, c := range td.cols {
		sel = append(sel, "typeof("+quoteIdent(c.name)+"), +"+quoteIdent(c.name))
	}
	rows, err := g.db.Query("SELECT "+strings.Join(sel, ",")+" FROM "+quoteIdent(table)+" WHERE rowid=?", rowid)
	if err != nil {
		g.t.Fatalf("%s: read %s: %v", g.sc.Name, table, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, false
	}
	n := len(td.cols)
	typs := make([]string, n)
	vals := make([]any, n)
	dst := make([]any, 2*n)
	for i := range n {
		dst[2*i] = &typs[i]
		dst[2*i+1] = &vals[i]
	}
	if err := rows.Scan(dst...); err != nil {
		g.t.Fatal(err)
	}
	out := make([]sqlite.Value, n)
	for i := range n {
		out[i] = modernValue(typs[i], vals[i])
	}
	return out, true
}

// note records the current state of a row as a version.
func (g *gen) note(table string, rowid int64) {
	vals, ok := g.readRow(table, rowid)
	if !ok {
		return
	}
	m := g.versions[table]
	if m == nil {
		m = map[int64][][]sqlite.Value{}
		g.versions[table] = m
	}
	vs := m[rowid]
	if len(vs) > 0 && equalVals(vs[len(vs)-1], vals) {
		return
	}
	m[rowid] = append(vs, vals)
}

// noteSchema records every sqlite_schema row as a version.
func (g *gen) noteSchema() {
	rows, err := g.db.Query("SELECT rowid, type, name, tbl_name, rootpage, sql FROM sqlite_schema")
	if err != nil {
		g.t.Fatal(err)
	}
	type srow struct {
		id   int64
		vals []sqlite.Value
	}
	var all []srow
	for rows.Next() {
		var id int64
		var typ, name, tbl string
		var root int64
		var sqlText sql.NullString
		if err := rows.Scan(&id, &typ, &name, &tbl, &root, &sqlText); err != nil {
			g.t.Fatal(err)
		}
		v := []sqlite.Value{sqlite.TextValue(typ), sqlite.TextValue(name), sqlite.TextValue(tbl), sqlite.IntValue(root), {}}
		if sqlText.Valid {
			v[4] = sqlite.TextValue(sqlText.String)
		}
		all = append(all, srow{id, v})
	}
	rows.Close()
	m := g.versions["sqlite_schema"]
	if m == nil {
		m = map[int64][][]sqlite.Value{}
		g.versions["sqlite_schema"] = m
	}
	for _, r := range all {
		vs := m[r.id]
		if len(vs) == 0 || !equalVals(vs[len(vs)-1], r.vals) {
			m[r.id] = append(vs, r.vals)
		}
	}
}

func equalVals(a, b []sqlite.Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func (g *gen) insert(table string) int64 {
	td := g.tables[table]
	vals := td.gen(g, g.nextMarker())
	var names, ph []string
	var args []any
	for i, c := range td.cols {
		if vals[i] == skip {
			continue
		}
		names = append(names, quoteIdent(c.name))
		ph = append(ph, "?")
		args = append(args, vals[i])
	}
	r := g.exec("INSERT INTO "+quoteIdent(table)+" ("+strings.Join(names, ",")+") VALUES ("+strings.Join(ph, ",")+")", args...)
	id, err := r.LastInsertId()
	if err != nil {
		g.t.Fatal(err)
	}
	g.note(table, id)
	return id
}

// skip leaves a column out of an INSERT (it takes its default).
var skip = &struct{}{}

// update gives a row new values (a new marker and some changed columns).
func (g *gen) update(table string, rowid int64) {
	td := g.tables[table]
	vals := td.gen(g, g.nextMarker())
	var sets []string
	var args []any
	for i, c := range td.cols {
		if c.alias || vals[i] == skip {
			continue
		}
		// keep some columns, change the others (always the marker column)
		if i != markerCol(td) && g.rng.Intn(2) == 0 {
			continue
		}
		sets = append(sets, quoteIdent(c.name)+"=?")
		args = append(args, vals[i])
	}
	if len(sets) == 0 {
		return
	}
	args = append(args, rowid)
	g.exec("UPDATE "+quoteIdent(table)+" SET "+strings.Join(sets, ",")+" WHERE rowid=?", args...)
	g.note(table, rowid)
}

// markerCol is the column that carries the unique marker.
func markerCol(td *tdef) int {
	for i, c := range td.cols {
		if c.name == "body" || c.name == "k" || c.name == "d" || c.name == "title" || c.name == "x" ||
			c.name == "address" && td.name == "canonical_addresses" || c.name == "display_name" || c.name == "data1" ||
			c.name == "number" || c.name == "snippet" || c.name == "mimetype" || c.name == "account_name" || c.name == "locale" || c.name == "lookup" {
			return i
		}
	}
	return len(td.cols) - 1
}

func (g *gen) rowids(table string) []int64 {
	rows, err := g.db.Query("SELECT rowid FROM " + quoteIdent(table))
	if err != nil {
		g.t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	return ids
}

func (g *gen) pick(table string) (int64, bool) {
	ids := g.rowids(table)
	if len(ids) == 0 {
		return 0, false
	}
	return ids[g.rng.Intn(len(ids))], true
}

// text returns random words of about n bytes, sometimes with non-ASCII.
func (g *gen) text(n int) string {
	words := []string{"hello", "meet", "at", "the", "station", "tomorrow", "ok", "thanks", "call", "me", "later",
		"bank", "code", "is", "price", "€", "日本", "ß", "😀", "über", "café", "\n", "why?", "yes", "no", "100%"}
	var b strings.Builder
	for b.Len() < n {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[g.rng.Intn(len(words))])
	}
	return b.String()
}

func (g *gen) phone() string { return fmt.Sprintf("+49151%08d", g.rng.Intn(1e8)) }

func (g *gen) blob(n int) []byte {
	b := make([]byte, n)
	g.rng.Read(b)
	return b
}

func (g *gen) maybe(p float64, v any) any {
	if g.rng.Float64() < p {
		return nil
	}
	return v
}

// ms returns a plausible epoch-millisecond time.
func (g *gen) ms() int64 { return 1.5e12 + g.rng.Int63n(2e11) }

// genericTables are tables of many shapes: rowid alias or not, every
// affinity, NOT NULL, overflow rows.
func genericTables(sc scenario) []*tdef {
	return []*tdef{
		{name: "messages", cols: []tcol{{"_id", "INTEGER", true, ""}, {"thread_id", "INTEGER", false, ""}, {"address", "TEXT", false, ""},
			{"body", "TEXT", false, "NOT NULL"}, {"date", "INTEGER", false, ""}, {"read", "INTEGER", false, "DEFAULT 0"},
			{"score", "REAL", false, ""}, {"attachment", "BLOB", false, ""}},
			gen: func(g *gen, mk string) []any {
				score := any(g.rng.NormFloat64() * 100)
				switch g.rng.Intn(4) {
				case 0:
					score = float64(g.rng.Intn(1000)) // integral: stored as an integer
				case 1:
					score = nil
				}
				var att any
				if g.rng.Intn(4) == 0 {
					att = g.blob(g.rng.Intn(40))
				}
				body := mk + " " + g.text(g.rng.Intn(120))
				if sc.Overflow && g.rng.Intn(10) == 0 {
					body += " " + g.text(sc.PageSize+g.rng.Intn(2*sc.PageSize))
				}
				return []any{nil, g.rng.Intn(40) + 1, g.maybe(0.1, g.phone()), body, g.ms(), g.rng.Intn(2), score, att}
			}},
		{name: "kv", cols: []tcol{{"k", "TEXT", false, ""}, {"v", "TEXT", false, ""}, {"n", "INTEGER", false, ""}},
			gen: func(g *gen, mk string) []any {
				return []any{"key." + mk, g.maybe(0.2, g.text(g.rng.Intn(30))), g.maybe(0.2, g.rng.Int63n(1<<uint(g.rng.Intn(62)+1)))}
			}},
		{name: "nums", cols: []tcol{{"a", "INTEGER", false, ""}, {"b", "REAL", false, ""}, {"c", "NUMERIC", false, ""}, {"d", "TEXT", false, ""}},
			gen: func(g *gen, mk string) []any {
				var c any
				switch g.rng.Intn(4) {
				case 0:
					c = g.rng.Intn(100000)
				case 1:
					c = g.rng.Float64() * 1000
				case 2:
					c = fmt.Sprint(g.rng.Intn(5000)) // numeric text: stored as a number
				default:
					c = nil
				}
				return []any{g.rng.Int63n(1<<uint(g.rng.Intn(60)+1)) - 7, g.rng.Float64() * 1e6, c, mk + g.text(g.rng.Intn(20))}
			}},
		{name: "docs", cols: []tcol{{"id", "INTEGER", true, ""}, {"title", "TEXT", false, ""}, {"content", "TEXT", false, ""}, {"data", "BLOB", false, ""}},
			gen: func(g *gen, mk string) []any {
				n := g.rng.Intn(200)
				if sc.Overflow && g.rng.Intn(3) == 0 {
					n = sc.PageSize/2 + g.rng.Intn(3*sc.PageSize)
				}
				var data any
				if sc.Overflow && g.rng.Intn(4) == 0 {
					data = g.blob(sc.PageSize + g.rng.Intn(sc.PageSize))
				}
				return []any{nil, mk, g.text(n), data}
			}},
		{name: "tmp_drop", cols: []tcol{{"x", "TEXT", false, ""}, {"y", "INTEGER", false, ""}, {"z", "BLOB", false, ""}, {"w", "REAL", false, ""}, {"v", "TEXT", false, ""}},
			gen: func(g *gen, mk string) []any {
				return []any{mk, g.rng.Intn(1 << 20), g.blob(g.rng.Intn(12) + 1), g.rng.Float64(), g.text(10 + g.rng.Intn(50))}
			}},
	}
}

// androidTables returns the tables of an Android database (schemas after
// AOSP's TelephonyProvider / ContactsProvider / CallLogProvider).
func androidTables(sc scenario) []*tdef {
	meta := &tdef{name: "android_metadata", cols: []tcol{{"locale", "TEXT", false, ""}},
		gen: func(g *gen, mk string) []any { return []any{"en_US"} }}
	cols := func(spec string) []tcol {
		var out []tcol
		for _, p := range strings.Split(spec, ",") {
			f := strings.Fields(strings.TrimSpace(p))
			c := tcol{name: f[0], decl: f[1]}
			rest := strings.Join(f[2:], " ")
			if strings.HasPrefix(rest, "PRIMARY KEY") {
				c.alias = true
				rest = strings.TrimSpace(strings.TrimPrefix(rest, "PRIMARY KEY"))
			}
			c.extra = rest
			out = append(out, c)
		}
		return out
	}
	switch sc.Schema {
	case "mmssms":
		return []*tdef{meta,
			{name: "sms", cols: cols("_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1,error_code INTEGER DEFAULT -1,creator TEXT,seen INTEGER DEFAULT 0"),
				gen: func(g *gen, mk string) []any {
					typ := 1 + g.rng.Intn(2)
					var sc any
					if typ == 1 {
						sc = "+491770610000"
					}
					return []any{nil, 1 + g.rng.Intn(12), g.phone(), nil, g.ms(), g.maybe(0.5, g.ms()), g.maybe(0.5, 0), g.rng.Intn(2), -1, typ, g.maybe(0.5, 0),
						nil, mk + " " + g.text(10+g.rng.Intn(150)), sc, 0, 1, -1, "com.android.mms", 1}
				}},
			{name: "threads", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,date INTEGER DEFAULT 0,message_count INTEGER DEFAULT 0,recipient_ids TEXT,snippet TEXT,snippet_cs INTEGER DEFAULT 0,read INTEGER DEFAULT 1,archived INTEGER DEFAULT 0,type INTEGER DEFAULT 0,error INTEGER DEFAULT 0,has_attachment INTEGER DEFAULT 0"),
				gen: func(g *gen, mk string) []any {
					return []any{nil, g.ms(), g.rng.Intn(50), fmt.Sprint(1 + g.rng.Intn(30)), mk + " " + g.text(g.rng.Intn(40)), 0, g.rng.Intn(2), 0, 0, 0, 0}
				}},
			{name: "canonical_addresses", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,address TEXT"),
				gen: func(g *gen, mk string) []any { return []any{nil, g.phone() + mk[2:8]} }},
		}
	case "contacts2":
		return []*tdef{meta,
			{name: "accounts", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,account_name TEXT,account_type TEXT,data_set TEXT"),
				gen: func(g *gen, mk string) []any { return []any{nil, mk + "@gmail.com", "com.google", nil} }},
			{name: "mimetypes", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,mimetype TEXT NOT NULL"),
				gen: func(g *gen, mk string) []any { return []any{nil, "vnd.android.cursor.item/" + mk} }},
			{name: "raw_contacts", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,account_id INTEGER,sourceid TEXT,backup_id TEXT,raw_contact_is_read_only INTEGER NOT NULL DEFAULT 0,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,metadata_dirty INTEGER NOT NULL DEFAULT 0,contact_id INTEGER,aggregation_mode INTEGER NOT NULL DEFAULT 0,aggregation_needed INTEGER NOT NULL DEFAULT 1,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,x_times_contacted INTEGER NOT NULL DEFAULT 0,x_last_time_contacted INTEGER,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,display_name TEXT,display_name_alt TEXT,display_name_source INTEGER NOT NULL DEFAULT 0,phonetic_name TEXT,phonetic_name_style TEXT,sort_key TEXT,phonebook_label TEXT,phonebook_bucket INTEGER,sort_key_alt TEXT,phonebook_label_alt TEXT,phonebook_bucket_alt INTEGER,name_verified INTEGER NOT NULL DEFAULT 0,sync1 TEXT,sync2 TEXT,sync3 TEXT,sync4 TEXT"),
				gen: func(g *gen, mk string) []any {
					first := []string{"Anna", "Ben", "Chloé", "Dmitri", "Eva", "Jürgen", "Kenji", "Lena"}[g.rng.Intn(8)]
					name := first + " " + mk
					return []any{nil, 1 + g.rng.Intn(2), g.maybe(0.5, fmt.Sprintf("%x", g.rng.Int63())), nil, 0, 1 + g.rng.Intn(5), g.rng.Intn(2), 0, 0, g.rng.Intn(500) + 1, 0, 0,
						nil, 0, g.rng.Intn(20), g.maybe(0.5, g.ms()), 0, nil, g.rng.Intn(2), 0, name, mk + ", " + first, 40, nil, "0", name, first[:1], g.rng.Intn(26), mk, "M", 13, 0, nil, nil, nil, nil}
				}},
			{name: "data", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER,mimetype_id INTEGER NOT NULL,raw_contact_id INTEGER NOT NULL,hash_id TEXT,is_read_only INTEGER NOT NULL DEFAULT 0,is_primary INTEGER NOT NULL DEFAULT 0,is_super_primary INTEGER NOT NULL DEFAULT 0,data_version INTEGER NOT NULL DEFAULT 0,data1 TEXT,data2 TEXT,data3 TEXT,data4 TEXT,data5 TEXT,data6 TEXT,data7 TEXT,data8 TEXT,data9 TEXT,data10 TEXT,data11 TEXT,data12 TEXT,data13 TEXT,data14 TEXT,data15 TEXT,data_sync1 TEXT,data_sync2 TEXT,data_sync3 TEXT,data_sync4 TEXT,carrier_presence INTEGER NOT NULL DEFAULT 0,preferred_phone_account_component_name TEXT,preferred_phone_account_id TEXT"),
				gen: func(g *gen, mk string) []any {
					kind := g.rng.Intn(3)
					v := make([]any, 31)
					v[1], v[2], v[3] = g.maybe(0.5, 1), 5+kind, 1+g.rng.Intn(200)
					v[4] = fmt.Sprintf("%x", g.rng.Int63())
					v[5], v[6], v[7], v[8] = 0, g.rng.Intn(2), 0, g.rng.Intn(3)
					switch kind {
					case 0:
						v[9], v[10], v[11] = "Name "+mk, "Name", mk
					case 1:
						v[9], v[10], v[12] = g.phone()+" "+mk[2:8], "2", g.phone()
					default:
						v[9], v[10] = strings.ToLower(mk)+"@example.org", "1"
					}
					v[28] = 0
					return v
				}},
			{name: "contacts", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,name_raw_contact_id INTEGER,photo_id INTEGER,photo_file_id INTEGER,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,x_times_contacted INTEGER NOT NULL DEFAULT 0,x_last_time_contacted INTEGER,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,has_phone_number INTEGER NOT NULL DEFAULT 0,lookup TEXT,status_update_id INTEGER,contact_last_updated_timestamp INTEGER"),
				gen: func(g *gen, mk string) []any {
					return []any{nil, 1 + g.rng.Intn(200), nil, nil, nil, 0, g.rng.Intn(9), g.maybe(0.3, g.ms()), 0, nil, g.rng.Intn(2), 0, g.rng.Intn(2), "0r" + mk, nil, g.ms()}
				}},
		}
	case "calllog":
		return []*tdef{meta,
			{name: "calls", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,presentation INTEGER NOT NULL DEFAULT 1,post_dial_digits TEXT NOT NULL DEFAULT '',via_number TEXT NOT NULL DEFAULT '',date INTEGER,duration INTEGER,data_usage INTEGER,type INTEGER,features INTEGER NOT NULL DEFAULT 0,subscription_component_name TEXT,subscription_id TEXT,phone_account_address TEXT,phone_account_hidden INTEGER NOT NULL DEFAULT 0,sub_id INTEGER DEFAULT -1,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,photo_uri TEXT,formatted_number TEXT,add_for_all_users INTEGER NOT NULL DEFAULT 1,last_modified INTEGER DEFAULT 0,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,transcription TEXT,transcription_state INTEGER NOT NULL DEFAULT 0,state INTEGER,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,backed_up INTEGER NOT NULL DEFAULT 0,restored INTEGER NOT NULL DEFAULT 0,archived INTEGER NOT NULL DEFAULT 0,is_omtp_voicemail INTEGER NOT NULL DEFAULT 0"),
				gen: func(g *gen, mk string) []any {
					num := g.phone()
					v := []any{nil, num + mk[2:8], 1, "", "", g.ms(), g.rng.Intn(3600), nil, 1 + g.rng.Intn(6), 0,
						"com.android.phone/com.android.services.telephony.TelephonyConnectionService", "8949" + fmt.Sprint(g.rng.Int63n(1e15)), "+4915100000000", 0, 1, g.rng.Intn(2),
						g.maybe(0.4, "Caller "+mk), g.maybe(0.4, 2), nil, "DE", nil, g.maybe(0.5, 1), g.maybe(0.5, "Germany"), nil, nil, g.maybe(0.3, num), 0, nil, g.maybe(0.3, num),
						1, g.ms(), nil, nil, nil, nil, nil, nil, 0, nil, 0, 0, 0, 0, 0, 0}
					return v
				}},
			{name: "voicemail_status", cols: cols("_id INTEGER PRIMARY KEY AUTOINCREMENT,source_package TEXT UNIQUE NOT NULL,phone_account_component_name TEXT,phone_account_id TEXT,settings_uri TEXT,voicemail_access_uri TEXT,configuration_state INTEGER,data_channel_state INTEGER,notification_channel_state INTEGER"),
				gen: func(g *gen, mk string) []any {
					return []any{nil, "com.example." + mk, nil, nil, nil, nil, 0, 0, 0}
				}},
		}
	}
	return nil
}

// files is what a generated database leaves on disk.
type files struct {
	db, wal, journal []byte
}

// generate builds the database of sc and returns its files and the truth.
func generate(t testing.TB, sc scenario) (files, *gen) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "test.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	g := &gen{t: t, sc: sc, db: db, rng: rand.New(rand.NewSource(sc.Seed)), tables: map[string]*tdef{},
		versions: map[string]map[int64][][]sqlite.Value{}, dropped: map[string]bool{}}
	g.exec(fmt.Sprintf("PRAGMA page_size=%d", sc.PageSize))
	g.exec(fmt.Sprintf("PRAGMA encoding='%s'", sc.Encoding))
	g.exec("PRAGMA auto_vacuum=" + sc.AutoVacuum)
	if sc.SecureDelete {
		g.exec("PRAGMA secure_delete=ON")
	} else {
		g.exec("PRAGMA secure_delete=OFF")
	}
	switch sc.Journal {
	case "wal":
		g.exec("PRAGMA journal_mode=WAL")
		g.exec("PRAGMA wal_autocheckpoint=40")
	case "persist":
		g.exec("PRAGMA journal_mode=PERSIST")
	default:
		g.exec("PRAGMA journal_mode=DELETE")
	}
	var tds []*tdef
	if sc.Schema == "generic" {
		tds = genericTables(sc)
	} else {
		tds = androidTables(sc)
	}
	for _, td := range tds {
		g.tables[td.name] = td
		g.order = append(g.order, td.name)
		g.exec(td.create())
	}
	if sc.Schema == "mmssms" {
		g.exec("CREATE INDEX typeThreadIdIndex ON sms (type, thread_id)")
	}
	if sc.Schema == "contacts2" {
		g.exec("CREATE INDEX data_raw_contact_id ON data (raw_contact_id)")
	}
	g.noteSchema()
	// Initial load, in a few transactions.
	for _, name := range g.order {
		n := sc.Rows
		if name == "android_metadata" {
			n = 1
		}
		for i := 0; i < n; {
			g.exec("BEGIN")
			for k := 0; k < 1+g.rng.Intn(20) && i < n; k++ {
				g.insert(name)
				i++
			}
			g.exec("COMMIT")
		}
	}
	g.noteSchema()
	// Random work: deletes, updates, inserts; one table dropped half way.
	names := []string{}
	for _, n := range g.order {
		if n != "android_metadata" {
			names = append(names, n)
		}
	}
	for op := 0; op < sc.Ops; op++ {
		if op == sc.Ops/2 && g.tables["tmp_drop"] != nil && !g.dropped["tmp_drop"] {
			g.exec("DROP TABLE tmp_drop")
			g.dropped["tmp_drop"] = true
			g.noteSchema()
			continue
		}
		name := names[g.rng.Intn(len(names))]
		if g.dropped[name] {
			continue
		}
		tx := g.rng.Intn(3) == 0
		if tx {
			g.exec("BEGIN")
		}
		for k := 0; k < 1+g.rng.Intn(4); k++ {
			switch r := g.rng.Intn(10); {
			case r < 4:
				if id, ok := g.pick(name); ok {
					g.exec("DELETE FROM "+quoteIdent(name)+" WHERE rowid=?", id)
				}
			case r < 5:
				ids := g.rowids(name)
				if len(ids) > 4 {
					from := g.rng.Intn(len(ids) - 3)
					g.exec("DELETE FROM "+quoteIdent(name)+" WHERE rowid BETWEEN ? AND ?", ids[from], ids[from+2+g.rng.Intn(2)])
				}
			case r < 8:
				if id, ok := g.pick(name); ok {
					g.update(name, id)
				}
			default:
				g.insert(name)
			}
		}
		if tx {
			g.exec("COMMIT")
		}
		if sc.AutoVacuum == "INCREMENTAL" && g.rng.Intn(15) == 0 {
			g.exec("PRAGMA incremental_vacuum(3)")
			g.noteSchema()
		}
	}
	// A last, larger transaction: what a PERSIST journal keeps.
	g.exec("BEGIN")
	for k := 0; k < 8; k++ {
		name := names[g.rng.Intn(len(names))]
		if g.dropped[name] {
			continue
		}
		if id, ok := g.pick(name); ok {
			if k%2 == 0 {
				g.exec("DELETE FROM "+quoteIdent(name)+" WHERE rowid=?", id)
			} else {
				g.update(name, id)
			}
		}
	}
	g.exec("COMMIT")
	g.noteSchema()

	var f files
	if sc.Journal == "wal" {
		// Copy the files while the connection still holds the WAL (closing
		// would checkpoint and delete it).
		f.db = readFile(t, path)
		f.wal = readFile(t, path+"-wal")
		db.Close()
	} else {
		db.Close()
		f.db = readFile(t, path)
		if b, err := os.ReadFile(path + "-journal"); err == nil {
			f.journal = b
		}
	}
	return f, g
}

func readFile(t testing.TB, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// truthRow is one version of one row with its status at the end.
type truthRow struct {
	table      string
	rowid      int64
	vals       []sqlite.Value
	live       bool // the row has these values now
	rowidLive  bool // the rowid is live (with these or other values)
	survives   bool // the record's bytes are still in a file
	aliasCol   int
	matchedRec bool
}

// encodeFor builds the record SQLite stores for vals in a table with the
// given affinities (rowid alias stored as NULL; integral reals in REAL
// columns stored as integers; text in the database encoding).
func encodeFor(vals []sqlite.Value, affs []sqlite.Affinity, alias int, enc string) (payload []byte, hdrLen int) {
	var hdr, body []byte
	for i, v := range vals {
		if i == alias {
			hdr = appendVarint(hdr, 0)
			continue
		}
		switch v.Kind {
		case sqlite.Null:
			hdr = appendVarint(hdr, 0)
		case sqlite.Integer:
			t, b := intSerial(v.Int)
			hdr = appendVarint(hdr, t)
			body = append(body, b...)
		case sqlite.Real:
			if affs[i] == sqlite.AffinityReal && v.Float == math.Trunc(v.Float) && math.Abs(v.Float) < 1<<47 {
				t, b := intSerial(int64(v.Float))
				hdr = appendVarint(hdr, t)
				body = append(body, b...)
				continue
			}
			hdr = appendVarint(hdr, 7)
			body = binary.BigEndian.AppendUint64(body, math.Float64bits(v.Float))
		case sqlite.Text:
			b := encodeText(v.Bytes, enc)
			hdr = appendVarint(hdr, uint64(len(b))*2+13)
			body = append(body, b...)
		case sqlite.Blob:
			hdr = appendVarint(hdr, uint64(len(v.Bytes))*2+12)
			body = append(body, v.Bytes...)
		}
	}
	n := len(hdr) + 1
	if n > 127 {
		n = len(hdr) + 2
	}
	out := appendVarint(nil, uint64(n))
	out = append(out, hdr...)
	return append(out, body...), n
}

func encodeText(b []byte, enc string) []byte {
	if enc == "UTF-8" {
		return b
	}
	var out []byte
	for _, r := range string(b) {
		var units []uint16
		if r >= 0x10000 {
			r -= 0x10000
			units = []uint16{uint16(0xD800 + (r >> 10)), uint16(0xDC00 + (r & 0x3ff))}
		} else {
			units = []uint16{uint16(r)}
		}
		for _, u := range units {
			if enc == "UTF-16be" {
				out = append(out, byte(u>>8), byte(u))
			} else {
				out = append(out, byte(u), byte(u>>8))
			}
		}
	}
	return out
}

// survives reports whether a record's cell is still present in the files:
// the cell bytes after its first 4 (which a freeblock header overwrites when
// the cell is freed), split as SQLite splits a payload between the page and
// its overflow pages. The record header is part of what is searched, so an
// index entry holding the same text does not count.
func survives(payload []byte, rowid int64, usable int, hay [][]byte) bool {
	local := sqlite.LocalPayload(int64(len(payload)), usable, true)
	cell := appendVarint(nil, uint64(len(payload)))
	cell = appendVarint(cell, uint64(rowid))
	cell = append(cell, payload[:local]...)
	pieces := [][]byte{cell[min(4, len(cell)):]}
	for rest := payload[local:]; len(rest) > 0; {
		n := min(len(rest), usable-4)
		pieces = append(pieces, rest[:n])
		rest = rest[n:]
	}
	for _, p := range pieces {
		if len(p) == 0 {
			continue
		}
		found := false
		for _, h := range hay {
			if bytes.Contains(h, p) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// truth lists every version of every row with its status.
func (g *gen) truth(f files) []*truthRow {
	g.t.Helper()
	hay := [][]byte{f.db, f.wal, f.journal}
	usable := g.sc.PageSize
	var out []*truthRow
	liveVals := map[string]map[int64][]sqlite.Value{}
	tables := append([]string{"sqlite_schema"}, g.order...)
	for _, name := range tables {
		lv := map[int64][]sqlite.Value{}
		if name == "sqlite_schema" {
			rows, _ := g.dbAfter(f).Query("SELECT rowid, type, name, tbl_name, rootpage, sql FROM sqlite_schema")
			for rows.Next() {
				var id, root int64
				var typ, nm, tbl string
				var s sql.NullString
				rows.Scan(&id, &typ, &nm, &tbl, &root, &s)
				v := []sqlite.Value{sqlite.TextValue(typ), sqlite.TextValue(nm), sqlite.TextValue(tbl), sqlite.IntValue(root), {}}
				if s.Valid {
					v[4] = sqlite.TextValue(s.String)
				}
				lv[id] = v
			}
			rows.Close()
		} else if !g.dropped[name] {
			for id := range g.versions[name] {
				if v, ok := g.readRowAfter(f, name, id); ok {
					lv[id] = v
				}
			}
		}
		liveVals[name] = lv
		var affs []sqlite.Affinity
		alias := -1
		if name == "sqlite_schema" {
			affs = []sqlite.Affinity{sqlite.AffinityText, sqlite.AffinityText, sqlite.AffinityText, sqlite.AffinityInteger, sqlite.AffinityText}
		} else {
			for i, c := range g.tables[name].cols {
				affs = append(affs, sqlite.TypeAffinity(c.decl))
				if c.alias {
					alias = i
				}
			}
		}
		ids := make([]int64, 0, len(g.versions[name]))
		for id := range g.versions[name] {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			cur, rowidLive := lv[id]
			for _, vals := range g.versions[name][id] {
				tr := &truthRow{table: name, rowid: id, vals: vals, rowidLive: rowidLive, aliasCol: alias}
				tr.live = rowidLive && equalVals(cur, vals)
				pl, _ := encodeFor(vals, affs, alias, g.sc.Encoding)
				tr.survives = survives(pl, id, usable, hay)
				if tr.live && !tr.survives {
					g.t.Errorf("%s: live row %s/%d not found in the files: the truth encoder is wrong", g.sc.Name, name, id)
				}
				out = append(out, tr)
			}
		}
	}
	return out
}

// dbAfter opens the final files with modernc (a copy, so nothing changes).
func (g *gen) dbAfter(f files) *sql.DB {
	if g.after != nil {
		return g.after
	}
	dir := g.t.TempDir()
	p := filepath.Join(dir, "after.db")
	os.WriteFile(p, f.db, 0o644)
	if f.wal != nil {
		os.WriteFile(p+"-wal", f.wal, 0o644)
	}
	db, err := sql.Open("sqlite", p)
	if err != nil {
		g.t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	g.after = db
	g.t.Cleanup(func() { db.Close() })
	return db
}

func (g *gen) readRowAfter(f files, table string, rowid int64) ([]sqlite.Value, bool) {
	saved := g.db
	g.db = g.dbAfter(f)
	defer func() { g.db = saved }()
	return g.readRow(table, rowid)
}
