package protobuf

import (
	"encoding/json"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add(callLog())
	f.Add([]byte("hi"))
	f.Add([]byte{0x0a, 0x03, 'a', 'b', 'c'})
	f.Add([]byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	f.Add([]byte{0x0a, 0x80, 0x80, 0x80, 0x80, 0x10})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseOptions(b, Options{MaxFields: 10000})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		var check func(m *Message)
		check = func(m *Message) {
			for i := range m.Fields {
				f := &m.Fields[i]
				if f.Offset < 0 || f.Offset >= int64(len(b)) || f.ValueOffset > int64(len(b)) {
					t.Fatalf("offset out of range: %+v", f)
				}
				_ = f.Text()
				_, _ = f.Packed()
				if f.Sub != nil {
					check(f.Sub)
				}
			}
		}
		check(m)
		if !json.Valid(Tree(m, TreeOptions{})) {
			t.Fatal("invalid JSON")
		}
	})
}
