package recover

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func openTestdata(t testing.TB, path string, wal bool) *sqlite.DB {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	o := &sqlite.Options{}
	if w, err := os.ReadFile(path + "-wal"); err == nil && wal {
		o.WAL, o.WALSize = bytes.NewReader(w), int64(len(w))
	}
	db, err := sqlite.Open(bytes.NewReader(b), int64(len(b)), o)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// liveSet returns the JSON of every live row of every table, to check that
// none comes back as recovered.
func liveSet(t testing.TB, db *sqlite.DB) map[string]bool {
	live := map[string]bool{}
	for _, tb := range append(db.Tables(), db.Table("sqlite_schema")) {
		rows := db.Rows(tb)
		for rows.Next() {
			b, _ := json.Marshal(rows.Row().Values)
			live[tb.Name+string(b)] = true
		}
	}
	return live
}

func TestRealFiles(t *testing.T) {
	for _, tc := range []struct {
		path string
		wal  bool
		want int // records at least
	}{
		{"testdata/sqlite-dc3/version_history_test.sqlite", true, 1},
		{"testdata/sqlite-dc3/version_history_test.sqlite", false, 1},
		{"testdata/sqlite-andriller/calllog.db", true, 0},
	} {
		db := openTestdata(t, tc.path, tc.wal)
		recs, err := Recover(db, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		live := liveSet(t, db)
		for _, r := range recs {
			b, _ := json.Marshal(r.Values)
			if live[r.Table+string(b)] {
				t.Errorf("%s: live row reported: %s", tc.path, b)
			}
			if r.Confidence <= 0 || r.Confidence > 1 || len(r.Values) != len(r.Missing) || len(r.Values) != len(r.Columns) {
				t.Errorf("%s: malformed record %+v", tc.path, r)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Error(err)
			}
		}
		if len(recs) < tc.want {
			t.Errorf("%s: %d records, want at least %d", tc.path, len(recs), tc.want)
		}
		// The "testing" table of the DC3 file has a freed cell with the
		// name "qewprioufdashj" (rowid lost to the freeblock header).
		if tc.want > 0 {
			ok := false
			for _, r := range recs {
				if r.Table == "testing" && r.Source == SourceFreeblock && r.RowID == nil && r.Missing[0] && string(r.Values[1].Bytes) == "qewprioufdashj" {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: freed cell of table testing not recovered: %+v", tc.path, recs)
			}
		}
	}
}

func TestRecoverNilAndOptions(t *testing.T) {
	if _, err := Recover(nil, Options{}); err != ErrNoDB {
		t.Errorf("nil db: %v", err)
	}
	db := openTestdata(t, "testdata/sqlite-dc3/version_history_test.sqlite", true)
	all, _ := Recover(db, Options{})
	only, _ := Recover(db, Options{Table: "TESTING"})
	high, _ := Recover(db, Options{MinConfidence: 0.99})
	if len(only) == 0 || len(only) >= len(all) {
		t.Errorf("Table filter: %d of %d", len(only), len(all))
	}
	for _, r := range only {
		if r.Table != "testing" {
			t.Errorf("Table filter let %q through", r.Table)
		}
	}
	for _, r := range high {
		if r.Confidence < 0.99 {
			t.Errorf("MinConfidence let %.3f through", r.Confidence)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	id := int64(42)
	r := Record{Table: "sms", RowID: &id, Values: []sqlite.Value{{}, sqlite.TextValue("hi\n"), sqlite.IntValue(-3), sqlite.RealValue(1), sqlite.BlobValue([]byte{1, 2})},
		Missing: []bool{true, false, false, false, false}, Source: "wal-frame 3", Page: 7, Offset: 100, Confidence: 0.9876, File: "wal", Superseded: true}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"table":"sms","rowid":42,"values":[{"missing":true},"hi\n",-3,1.0,{"base64":"AQI="}],"source":"wal-frame 3","page":7,"offset":100,"confidence":0.988,"file":"wal","superseded":true,"dropped":false}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	r.RowID = nil
	r.Table = ""
	b, _ = json.Marshal(r)
	if !bytes.Contains(b, []byte(`"table":null,"rowid":null`)) {
		t.Errorf("unknown table/rowid: %s", b)
	}
}

// FuzzRecover damages a real database (and its WAL) and checks that
// Recover neither panics nor takes long.
func FuzzRecover(f *testing.F) {
	db1, _ := os.ReadFile("testdata/sqlite-dc3/version_history_test.sqlite")
	wal1, _ := os.ReadFile("testdata/sqlite-dc3/version_history_test.sqlite-wal")
	db2, _ := os.ReadFile("testdata/sqlite-andriller/calllog.db")
	f.Add(db1, wal1, uint32(5000), []byte{0xff, 0x00, 0x81})
	f.Add(db2, []byte(nil), uint32(4096+8), []byte{0x00, 0x00, 0x10, 0x00})
	f.Add(db1, wal1, uint32(8192+100), []byte("\x0d\x00\x00\x00\x05\x0f\xf0"))
	f.Add(db2, []byte(nil), uint32(100), []byte{0x05, 0x00, 0x00, 0x00, 0x01})
	f.Fuzz(func(t *testing.T, db, wal []byte, at uint32, patch []byte) {
		if len(db) > 1<<20 || len(wal) > 1<<20 || len(patch) > 4096 {
			return
		}
		d := append([]byte(nil), db...)
		if len(d) > 0 {
			off := int(at) % len(d)
			copy(d[off:], patch)
		}
		o := &sqlite.Options{}
		if len(wal) > 0 {
			o.WAL, o.WALSize = bytes.NewReader(wal), int64(len(wal))
		}
		sdb, err := sqlite.Open(bytes.NewReader(d), int64(len(d)), o)
		if err != nil {
			return
		}
		start := time.Now()
		recs, _ := Recover(sdb, Options{Journal: bytes.NewReader(d), JournalSize: int64(len(d))})
		if el := time.Since(start); el > 10*time.Second {
			t.Fatalf("Recover took %v", el)
		}
		for _, r := range recs {
			if len(r.Values) != len(r.Missing) {
				t.Fatal("Values and Missing differ in length")
			}
			r.MarshalJSON()
		}
	})
}

// The search reads the page images the database holds without copying them
// (PageView): it must not change them. With a cache holding the whole file,
// a change would still be there when the pages are compared after.
func TestSearchLeavesImagesAlone(t *testing.T) {
	for _, path := range []string{
		"testdata/sqlite-dc3/version_history_test.sqlite",
		"testdata/sqlite-andriller/calllog.db",
	} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlite.Open(bytes.NewReader(b), int64(len(b)), &sqlite.Options{CachePages: 1 << 20, NoWAL: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Recover(db, Options{}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ps := db.PageSize()
		for p := uint32(1); p <= db.PageCount(); p++ {
			d, err := db.MainPageView(p)
			if err != nil {
				t.Fatalf("%s page %d: %v", path, p, err)
			}
			if !bytes.Equal(d, b[int(p-1)*ps:int(p)*ps]) {
				t.Errorf("%s: page %d changed by the search", path, p)
			}
		}
	}
}
