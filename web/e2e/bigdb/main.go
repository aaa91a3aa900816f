//go:build !js

// Command bigdb writes a telephony-provider SMS database with many messages
// for the page's scale test (web/e2e/big.test.mjs): deterministic content,
// AOSP column names, several scripts and emoji, threads and canonical
// addresses. It prints the number of messages written.
//
//	go run ./web/e2e/bigdb -n 120000 [-pad MiB] -out build/e2e/big.db
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "modernc.org/sqlite"
)

var phrases = []string{
	"Привет! Как дела?", "Созвонимся вечером?", "See you at 7", "Running late, sorry",
	"Your code is %d", "Ok 👍", "¿Dónde estás?", "Bis morgen!", "رمضان كريم", "明天见",
	"Check this out: https://example.com/p/%d", "BANK: payment of %d.00 EUR approved",
	"Landed safely ✈", "Happy birthday! 🎂", "Can you call me?", "Thanks!",
}

func main() {
	n := flag.Int("n", 120000, "messages")
	pad := flag.Int("pad", 0, "MiB of random blobs in a table of their own (a database bigger than its messages)")
	out := flag.String("out", "", "output database")
	flag.Parse()
	if *out == "" || *n <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := write(*out, *n, *pad); err != nil {
		fmt.Fprintln(os.Stderr, "bigdb:", err)
		os.Exit(1)
	}
	fmt.Println(*n)
}

func write(out string, n, pad int) error {
	tmp := out + ".tmp"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, s := range []string{
		`PRAGMA journal_mode=DELETE`,
		`CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT)`,
		`CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0, message_count INTEGER DEFAULT 0, recipient_ids TEXT, snippet TEXT, read INTEGER DEFAULT 1, type INTEGER DEFAULT 0)`,
		`CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1, type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT 0, creator TEXT, seen INTEGER DEFAULT 0)`,
	} {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	const people = 60
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	addr := func(i int) string { return fmt.Sprintf("+7985%07d", 1000000+i*7919%9000000) }
	for i := 0; i < people; i++ {
		if _, err := tx.Exec(`INSERT INTO canonical_addresses(address) VALUES (?)`, addr(i)); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO threads(recipient_ids) VALUES (?)`, fmt.Sprint(i+1)); err != nil {
			return err
		}
	}
	st, err := tx.Prepare(`INSERT INTO sms(_id, thread_id, address, date, date_sent, read, type, body, sub_id, seen) VALUES (?,?,?,?,?,?,?,?,?,1)`)
	if err != nil {
		return err
	}
	const start = int64(1672531200000) // 2023-01-01T00:00:00Z
	x := uint64(88172645463325252)
	for i := 0; i < n; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		who := int(x % people)
		typ := 1 + int(x>>8%2) // 1 inbox, 2 sent
		date := start + int64(i)*550_000 + int64(x>>16%400_000)
		body := phrases[int(x>>24)%len(phrases)]
		if containsVerb(body) {
			body = fmt.Sprintf(body, int(x>>32%1_000_000))
		}
		if _, err := st.Exec(i+1, who+1, addr(who), date, date-int64(x>>40%60_000), int(x>>48%2), typ, body, 1+int(x>>52%2)); err != nil {
			return err
		}
	}
	if pad > 0 {
		if _, err := tx.Exec(`CREATE TABLE padding (x BLOB)`); err != nil {
			return err
		}
		b := make([]byte, 64<<10)
		for i := 0; i < pad*16; i++ {
			for j := range b {
				x ^= x << 13
				x ^= x >> 7
				x ^= x << 17
				b[j] = byte(x)
			}
			if _, err := tx.Exec(`INSERT INTO padding VALUES (?)`, b); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

func containsVerb(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && s[i+1] == 'd' {
			return true
		}
	}
	return false
}
