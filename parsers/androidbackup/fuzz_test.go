package androidbackup

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReader exercises header parsing, key unlocking (with the password
// "12345" and "pw") and streaming decryption/inflation.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "ab-abe", "*.backup"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	payload := makeTar(f, 1, 2)
	f.Add(build(f, WriterOptions{Version: 5, Compress: true, Password: "pw", Rounds: 3}, payload))
	f.Add(build(f, WriterOptions{Version: 5, Password: "pw", Rounds: 3}, payload))
	f.Add(build(f, WriterOptions{Version: 4, Compress: true}, payload))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Keep PBKDF2 cheap (instrumented crypto is slow): only unlock headers
		// with few rounds.
		if h, err := ReadHeader(bufio.NewReader(bytes.NewReader(data)), 0); err == nil && h.Rounds > 50 {
			return
		}
		r, err := NewReader(bytes.NewReader(data), &Options{Candidates: []string{"12345", "pw"}})
		if err != nil {
			if !errors.Is(err, ErrHeader) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrWrongPassword) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		_, err = io.Copy(io.Discard, io.LimitReader(r, 64<<20))
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("untyped read error %v", err)
		}
	})
}

func FuzzKeyValue(f *testing.F) {
	f.Add(kvStream(kvRecord("wifi_new_config", []byte("<WifiBackupData/>"), false), kvRecord("gone", nil, true)))
	f.Add([]byte("Data\x05\x00\x00\x00\xff\xff\xff\xffhello\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ReadKeyValues(bytes.NewReader(data), 1<<20)
		var ke *KVError
		if err != nil && !errors.As(err, &ke) && !strings.Contains(err.Error(), "limit") {
			t.Fatalf("untyped error %v", err)
		}
		ParseManifest(data)
		ParseMeta(data)
	})
}
