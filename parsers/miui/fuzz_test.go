package miui

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func FuzzHeader(f *testing.F) {
	f.Add(golden)
	f.Add([]byte("MIUI BACKUP\n2\ncom.tencent.mm 微信 (second)\n-1\n21\npw\n999\nANDROID BACKUP\n"))
	f.Add([]byte("MIUI BACKUP\n2\ncom.android.mms Messages\n1\n20\n999\nANDROID BACKUP\n"))
	f.Add([]byte("MIUI BACKUP\n2\ncom.x\n-1\n1\nK\n\x8a\x91\x00\x13garbage"))
	f.Add([]byte("MIUI BACKUP\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			var he *HeaderError
			if !errors.As(err, &he) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		h := r.Header
		if h.Size < 0 || h.Size > int64(len(data)) {
			t.Fatalf("size %d of %d", h.Size, len(data))
		}
		rest, _ := io.ReadAll(r)
		if int64(len(rest)) != int64(len(data))-h.Size {
			t.Fatalf("rest %d bytes, want %d", len(rest), int64(len(data))-h.Size)
		}
		if h.StreamFound && !bytes.HasPrefix(rest, []byte(AndroidMagic)) {
			t.Fatal("StreamFound but no magic")
		}
	})
}

func FuzzDescript(f *testing.F) {
	f.Add([]byte(descriptMIUI12))
	f.Add([]byte(descriptHyperOS))
	f.Add([]byte("<MIUI-backup><packages><package><feature>x</feature></package></packages>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDescript(bytes.NewReader(data))
		if err == nil && d == nil {
			t.Fatal("nil descript without error")
		}
		ParseTmpMeta(data)
	})
}
