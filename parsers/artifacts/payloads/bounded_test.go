package payloads

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// A payload of millions of tiny protobuf fields is described with its
// tree's first nodes and its true field count, in bounded memory: 8 MiB of
// 2-byte fields (4 M) allocated ~1.4 GB before the fields kept were bounded.
func TestHugePayloadBounded(t *testing.T) {
	data := bytes.Repeat([]byte{0x08, 0x01}, 4<<20)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	format, tree, note := Describe(data)
	runtime.ReadMemStats(&m1)
	if format != FormatProtobuf || !strings.Contains(note, "of 4194304 fields") || !bytes.Contains(tree, []byte(`"total":4194304`)) {
		t.Fatalf("format %s, note %q", format, note)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 64<<20 {
		t.Errorf("%d MB allocated to describe an 8 MiB payload", alloc>>20)
	}
	// A top-level field number no schema uses: not a protobuf, as before.
	bad := append(append([]byte(nil), data...), 0x80, 0x80, 0x80, 0x01, 0x00) // field 2^18, varint
	if format, _, _ := Describe(bad); format == FormatProtobuf {
		t.Errorf("a payload with top-level field 262144 described as protobuf")
	}
}
