package main

import (
	"archive/zip"
	"database/sql"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// inspect holds a database too big for its memory budget in a temporary
// file while it reads it, and deletes the file after.
func TestInspectSpoolsBigDatabases(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "mmssms.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT)",
		"CREATE TABLE padding (x BLOB)",
		"INSERT INTO sms (address, date, type, body) VALUES ('+15550001', 1700000000000, 1, 'held out of memory')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 160; i++ {
		b := make([]byte, 64<<10)
		rng.Read(b)
		if _, err := db.Exec("INSERT INTO padding VALUES (?)", b); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	raw, _ := os.ReadFile(p)
	zp := filepath.Join(dir, "dump.zip")
	out, _ := os.Create(zp)
	zw := zip.NewWriter(out)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "data/user_de/0/com.android.providers.telephony/databases/mmssms.db", Method: zip.Deflate})
	w.Write(raw)
	zw.Close()
	out.Close()

	tmp := t.TempDir()
	r := cli(t, []string{"TMPDIR=" + tmp}, "", nil, "inspect", "--json", "--max-memory", "8", zp)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Messages []struct{ Body string } `json:"messages"`
		Problems []struct{ Code string } `json:"problems"`
	}
	if err := json.Unmarshal(r.stdout, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Messages) != 1 || rep.Messages[0].Body != "held out of memory" {
		t.Errorf("messages %+v: want the one in the 10 MiB database", rep.Messages)
	}
	for _, p := range rep.Problems {
		if p.Code == "too-large" {
			t.Errorf("problem %s", p.Code)
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d entries left in the temporary folder (%s)", len(ents), ents[0].Name())
	}
}
