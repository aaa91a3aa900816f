//go:build !js

package samples

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"strings"
	"sync"

	sqlite "modernc.org/sqlite" // registers the "sqlite" driver
)

var registerCollations sync.Once

// Android registers the PHONEBOOK and LOCALIZED collations (ICU based);
// contacts2.db declares columns with them. Plain comparison stands in.
func androidCollations() {
	registerCollations.Do(func() {
		for _, n := range []string{"PHONEBOOK", "LOCALIZED"} {
			sqlite.MustRegisterCollationUtf8(n, strings.Compare)
		}
	})
}

// sqliteDB wraps one connection to a database file being generated.
type sqliteDB struct {
	db   *sql.DB
	tx   *sql.Tx
	path string
	err  error
}

// createDB creates a fresh database at path (removing any old one) with
// Android's defaults: 4096-byte pages, UTF-8, rollback journal, and the
// android_metadata table every SQLiteOpenHelper database has.
func createDB(path string, userVersion int, locale string) (*sqliteDB, error) {
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + s)
	}
	androidCollations()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	d := &sqliteDB{db: db, path: path}
	d.exec("PRAGMA page_size=4096")
	d.exec("PRAGMA synchronous=OFF") // speed only; the file bytes do not depend on it
	d.exec("PRAGMA journal_mode=MEMORY")
	d.exec("PRAGMA secure_delete=0")
	d.exec("PRAGMA auto_vacuum=0")
	d.exec(fmt.Sprintf("PRAGMA user_version=%d", userVersion))
	d.exec("CREATE TABLE android_metadata (locale TEXT)")
	d.exec("INSERT INTO android_metadata VALUES (?)", locale)
	return d, d.err
}

// exec runs a statement; the first error sticks and later calls do nothing.
func (d *sqliteDB) exec(q string, args ...any) {
	if d.err != nil {
		return
	}
	if d.tx != nil {
		_, d.err = d.tx.Exec(q, args...)
	} else {
		_, d.err = d.db.Exec(q, args...)
	}
	if d.err != nil {
		d.err = fmt.Errorf("%s: %q: %w", filepath.Base(d.path), q, d.err)
	}
}

func (d *sqliteDB) begin() {
	if d.err != nil {
		return
	}
	d.tx, d.err = d.db.Begin()
}

func (d *sqliteDB) commit() {
	if d.tx == nil {
		return
	}
	if d.err != nil {
		d.tx.Rollback()
	} else {
		d.err = d.tx.Commit()
	}
	d.tx = nil
}

// stmt is a prepared insert inside the current transaction.
type stmt struct {
	d *sqliteDB
	s *sql.Stmt
}

func (d *sqliteDB) prepare(q string) *stmt {
	st := &stmt{d: d}
	if d.err != nil {
		return st
	}
	if d.tx != nil {
		st.s, d.err = d.tx.Prepare(q)
	} else {
		st.s, d.err = d.db.Prepare(q)
	}
	if d.err != nil {
		d.err = fmt.Errorf("%s: prepare %q: %w", filepath.Base(d.path), q, d.err)
	}
	return st
}

func (s *stmt) exec(args ...any) {
	if s.d.err != nil || s.s == nil {
		return
	}
	if _, err := s.s.Exec(args...); err != nil {
		s.d.err = fmt.Errorf("%s: insert: %w", filepath.Base(s.d.path), err)
	}
}

func (s *stmt) close() {
	if s.s != nil {
		s.s.Close()
	}
}

func (d *sqliteDB) close() error {
	d.commit()
	if err := d.db.Close(); d.err == nil {
		d.err = err
	}
	os.Remove(d.path + "-journal")
	return d.err
}

// snapshotWAL copies the database file and its -wal while the connection is
// still open (closing would checkpoint and delete the WAL), then rewrites
// the WAL salts deterministically so the output is reproducible.
func (d *sqliteDB) snapshotWAL(dbOut, walOut string, salt1, salt2 uint32) error {
	if d.err != nil {
		return d.err
	}
	if err := copyFile(d.path, dbOut); err != nil {
		return err
	}
	if err := copyFile(d.path+"-wal", walOut); err != nil {
		return err
	}
	return resaltWAL(walOut, salt1, salt2)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// resaltWAL replaces the two salts of a WAL file and recomputes the header
// and frame checksums (https://www.sqlite.org/fileformat2.html#walformat).
func resaltWAL(path string, salt1, salt2 uint32) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) < 32 {
		return fmt.Errorf("%s: WAL too short", path)
	}
	be := binary.BigEndian
	magic := be.Uint32(b[0:])
	var order binary.ByteOrder = binary.LittleEndian
	if magic == 0x377f0683 {
		order = binary.BigEndian
	} else if magic != 0x377f0682 {
		return fmt.Errorf("%s: bad WAL magic %08x", path, magic)
	}
	pageSize := int(be.Uint32(b[8:]))
	oldS1, oldS2 := be.Uint32(b[16:]), be.Uint32(b[20:])
	be.PutUint32(b[16:], salt1)
	be.PutUint32(b[20:], salt2)
	sum := func(s0, s1 uint32, data []byte) (uint32, uint32) {
		for i := 0; i+8 <= len(data); i += 8 {
			s0 += order.Uint32(data[i:]) + s1
			s1 += order.Uint32(data[i+4:]) + s0
		}
		return s0, s1
	}
	s0, s1 := sum(0, 0, b[:24])
	be.PutUint32(b[24:], s0)
	be.PutUint32(b[28:], s1)
	for off := 32; off+24+pageSize <= len(b); off += 24 + pageSize {
		fh := b[off : off+24]
		if be.Uint32(fh[8:]) != oldS1 || be.Uint32(fh[12:]) != oldS2 {
			break // stale frames from an earlier WAL generation: keep as is
		}
		be.PutUint32(fh[8:], salt1)
		be.PutUint32(fh[12:], salt2)
		s0, s1 = sum(s0, s1, fh[:8])
		s0, s1 = sum(s0, s1, b[off+24:off+24+pageSize])
		be.PutUint32(fh[16:], s0)
		be.PutUint32(fh[20:], s1)
	}
	return os.WriteFile(path, b, 0o644)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nullStr returns nil for "" so the column is NULL.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
