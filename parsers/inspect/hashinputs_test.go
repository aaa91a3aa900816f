package inspect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// TestParallelInputHash: inputs with random access are hashed by a
// goroutine beside the walk (natively, with 2+ cores); the report's hashes
// are the files' and the caller's inputs are left as they were.
func TestParallelInputHash(t *testing.T) {
	dir := filepath.Join("..", "..", "samples", "small")
	paths := []string{filepath.Join(dir, "miui.zip"), filepath.Join(dir, "telephony-uncompressed.ab"), filepath.Join(dir, "miui")}
	inputs, _ := benchInputs(t, paths)
	rep, _, err := Run(context.Background(), inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		for _, f := range in.Files {
			if f.SHA256 != nil {
				t.Fatalf("Run changed the caller's input %s", in.Name)
			}
		}
	}
	want := map[string]string{}
	for _, p := range paths {
		st, _ := os.Stat(p)
		if st.IsDir() {
			continue
		}
		b, _ := os.ReadFile(p)
		s := sha256.Sum256(b)
		want[filepath.Base(p)] = hex.EncodeToString(s[:])
	}
	got := map[string]string{}
	for _, in := range rep.Inputs {
		if in.SHA256 != "" {
			got[in.Name] = in.SHA256
		}
	}
	if len(got) != 2 || got["miui.zip"] != want["miui.zip"] || got["telephony-uncompressed.ab"] != want["telephony-uncompressed.ab"] {
		t.Errorf("input hashes %v, want %v", got, want)
	}
	// Every file of the folder input has its own hash.
	n := 0
	for _, f := range rep.Files {
		if filepath.Dir(f.Path) != "." && len(f.Path) > 5 && f.Path[:5] == "miui/" && !containsBang(f.Path) {
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
			if err != nil {
				continue
			}
			s := sha256.Sum256(b)
			if f.SHA256 != hex.EncodeToString(s[:]) {
				t.Errorf("%s: sha256 %s", f.Path, f.SHA256)
			}
			n++
		}
	}
	if n < 3 {
		t.Errorf("only %d folder files checked", n)
	}
}

func containsBang(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '!' {
			return true
		}
	}
	return false
}
