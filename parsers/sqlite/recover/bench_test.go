package recover

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// sampleDB reads the committed small sample mmssms.db (112 KiB).
func sampleDB(tb testing.TB) []byte {
	b, err := os.ReadFile("../../../samples/small/mmssms.db")
	if err != nil {
		tb.Skip(err)
	}
	return b
}

// zeroPadded returns db followed by zero pages up to size bytes, its header
// saying the file has that many pages.
func zeroPadded(db []byte, size int) []byte {
	d := make([]byte, size)
	copy(d, db)
	ps := int(binary.BigEndian.Uint16(d[16:]))
	if ps == 1 {
		ps = 65536
	}
	binary.BigEndian.PutUint32(d[28:], uint32(size/ps))
	return d
}

func benchRecover(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		db, err := sqlite.Open(bytes.NewReader(data), int64(len(data)), nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Recover(db, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecoverSample(b *testing.B) { benchRecover(b, sampleDB(b)) }

func BenchmarkRecoverZeros100M(b *testing.B) { benchRecover(b, zeroPadded(sampleDB(b), 100<<20)) }
