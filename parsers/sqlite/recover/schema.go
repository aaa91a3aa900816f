package recover

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// tableFromSQL turns a recovered CREATE TABLE statement into a *sqlite.Table
// using the sqlite package's own schema parser: it builds a minimal two-page
// database in memory whose sqlite_schema holds the statement, and opens it.
// It returns nil when the statement is not a readable rowid table.
func tableFromSQL(name, sql string) *sqlite.Table {
	if name == "" || len(sql) > 60000 || len(name) > 1000 {
		return nil
	}
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(sql)), "CREATE") {
		return nil
	}
	rec := encodeRecord([]sqlite.Value{
		sqlite.TextValue("table"), sqlite.TextValue(name), sqlite.TextValue(name),
		sqlite.IntValue(2), sqlite.TextValue(sql),
	})
	ps := 4096
	if len(rec)+200 > ps {
		ps = 65536
	}
	img := make([]byte, 2*ps)
	pg := img[:ps]
	copy(pg, sqlite.Magic)
	binary.BigEndian.PutUint16(pg[16:], uint16(ps&0xffff|ps>>16))
	pg[18], pg[19], pg[20], pg[21], pg[22], pg[23] = 1, 1, 0, 64, 32, 32
	binary.BigEndian.PutUint32(pg[24:], 1) // change counter
	binary.BigEndian.PutUint32(pg[28:], 2) // pages
	binary.BigEndian.PutUint32(pg[40:], 1) // schema cookie
	binary.BigEndian.PutUint32(pg[44:], 4) // schema format
	binary.BigEndian.PutUint32(pg[56:], 1) // UTF-8
	binary.BigEndian.PutUint32(pg[92:], 1) // version-valid-for
	binary.BigEndian.PutUint32(pg[96:], 3045000)
	// Page 1: a table leaf holding one cell.
	var cell []byte
	cell = appendVarint(cell, uint64(len(rec)))
	cell = appendVarint(cell, 1)
	cell = append(cell, rec...)
	start := ps - len(cell)
	copy(pg[start:], cell)
	h := pg[100:]
	h[0] = byte(sqlite.PageLeafTable)
	binary.BigEndian.PutUint16(h[3:], 1)
	binary.BigEndian.PutUint16(h[5:], uint16(start&0xffff))
	binary.BigEndian.PutUint16(h[8:], uint16(start))
	// Page 2: an empty table leaf.
	p2 := img[ps:]
	p2[0] = byte(sqlite.PageLeafTable)
	binary.BigEndian.PutUint16(p2[5:], uint16(ps&0xffff))
	db, err := sqlite.Open(bytes.NewReader(img), int64(len(img)), nil)
	if err != nil {
		return nil
	}
	t := db.Table(name)
	if t == nil || t.Type != "table" || t.WithoutRowID || len(t.Columns) == 0 {
		return nil
	}
	return t
}

// appendVarint appends v as a SQLite varint.
func appendVarint(b []byte, v uint64) []byte {
	if v > 0x00ffffffffffffff {
		var buf [9]byte
		buf[8] = byte(v)
		v >>= 8
		for i := 7; i >= 0; i-- {
			buf[i] = byte(v&0x7f) | 0x80
			v >>= 7
		}
		return append(b, buf[:]...)
	}
	var buf [9]byte
	n := 0
	for {
		buf[n] = byte(v & 0x7f)
		n++
		v >>= 7
		if v == 0 {
			break
		}
	}
	for i := n - 1; i >= 0; i-- {
		c := buf[i]
		if i > 0 {
			c |= 0x80
		}
		b = append(b, c)
	}
	return b
}

// encodeRecord builds a UTF-8 record from values (integers in their
// shortest form, as SQLite writes them).
func encodeRecord(vals []sqlite.Value) []byte {
	var hdr, body []byte
	for _, v := range vals {
		switch v.Kind {
		case sqlite.Null:
			hdr = appendVarint(hdr, 0)
		case sqlite.Integer:
			t, b := intSerial(v.Int)
			hdr = appendVarint(hdr, t)
			body = append(body, b...)
		case sqlite.Real:
			hdr = appendVarint(hdr, 7)
			body = binary.BigEndian.AppendUint64(body, math.Float64bits(v.Float))
		case sqlite.Text:
			hdr = appendVarint(hdr, uint64(len(v.Bytes))*2+13)
			body = append(body, v.Bytes...)
		case sqlite.Blob:
			hdr = appendVarint(hdr, uint64(len(v.Bytes))*2+12)
			body = append(body, v.Bytes...)
		}
	}
	n := len(hdr) + 1
	if varintLen(uint64(n)) > 1 {
		n = len(hdr) + varintLen(uint64(len(hdr)+2))
	}
	out := appendVarint(nil, uint64(n))
	out = append(out, hdr...)
	return append(out, body...)
}

// intSerial returns the serial type and big-endian bytes of integer i.
func intSerial(i int64) (uint64, []byte) {
	switch {
	case i == 0:
		return 8, nil
	case i == 1:
		return 9, nil
	case i >= -128 && i <= 127:
		return 1, []byte{byte(i)}
	case i >= -32768 && i <= 32767:
		return 2, []byte{byte(i >> 8), byte(i)}
	case i >= -8388608 && i <= 8388607:
		return 3, []byte{byte(i >> 16), byte(i >> 8), byte(i)}
	case i >= -2147483648 && i <= 2147483647:
		return 4, binary.BigEndian.AppendUint32(nil, uint32(i))
	case i >= -(1<<47) && i < 1<<47:
		b := binary.BigEndian.AppendUint64(nil, uint64(i))
		return 5, b[2:]
	}
	return 6, binary.BigEndian.AppendUint64(nil, uint64(i))
}
