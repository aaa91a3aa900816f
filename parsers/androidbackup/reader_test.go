package androidbackup

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tarSHA is the SHA-256 of the tar inside every ab-abe sample
// (testdata/ab-abe, from android-backup-extractor's test resources).
const tarSHA = "d283c09ecccb6c812cca985aca46f3595e052935c74bea212711d9f6eab768a9"

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ab-abe", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeAll(data []byte, opts *Options) ([]byte, *Reader, error) {
	r, err := NewReader(bytes.NewReader(data), opts)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	out, err := io.ReadAll(r)
	return out, r, err
}

func TestABESamples(t *testing.T) {
	tests := []struct {
		file       string
		version    int
		compressed bool
		password   string
		mode       string
	}{
		{"test.unencrypted.backup", 1, true, "", ""},
		{"uncompressed.backup", 1, false, "", ""},
		{"invalid_header.uncompressed.unencrypted.backup", 2, false, "", ""},
		{"test.encrypted.backup", 1, true, "12345", "password=utf8 checksum=8bit"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			opts := &Options{}
			if tt.password != "" {
				opts.Password = StaticPassword(tt.password)
			}
			out, r, err := decodeAll(readFile(t, tt.file), opts)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(out)
			if got := hex.EncodeToString(sum[:]); got != tarSHA || len(out) != 30720 {
				t.Errorf("tar: %d bytes sha256 %s, want 30720 bytes %s", len(out), got, tarSHA)
			}
			h := r.Header()
			if h.Version != tt.version || h.Compressed != tt.compressed || h.Encrypted() != (tt.password != "") {
				t.Errorf("header = %+v", h)
			}
			if r.KeyMode() != tt.mode {
				t.Errorf("KeyMode = %q, want %q", r.KeyMode(), tt.mode)
			}
			// The tar itself must list.
			tr := tar.NewReader(bytes.NewReader(out))
			n := 0
			for {
				_, err := tr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				n++
			}
			if n == 0 {
				t.Error("no tar entries")
			}
		})
	}
}

func TestEncryptedErrors(t *testing.T) {
	data := readFile(t, "test.encrypted.backup")
	if _, err := NewReader(bytes.NewReader(data), nil); !errors.Is(err, ErrPasswordRequired) {
		t.Errorf("no password: err = %v, want ErrPasswordRequired", err)
	}
	_, err := NewReader(bytes.NewReader(data), &Options{Password: StaticPassword("x")})
	if !errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrCorrupt) {
		t.Errorf("wrong password: err = %v, want ErrWrongPassword", err)
	}
	// The callback is asked again after a wrong password, with lastErr set.
	var calls []error
	_, err = NewReader(bytes.NewReader(data), &Options{Password: func(attempt int, last error) (string, bool) {
		calls = append(calls, last)
		if attempt == 1 {
			return "wrong", true
		}
		return "12345", true
	}})
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if len(calls) != 2 || calls[0] != nil || !errors.Is(calls[1], ErrWrongPassword) {
		t.Errorf("callback saw %v", calls)
	}
	// Candidates are tried silently.
	if _, err := NewReader(bytes.NewReader(data), &Options{Candidates: []string{"a", "12345"}}); err != nil {
		t.Errorf("candidates: %v", err)
	}
	if _, err := NewReader(bytes.NewReader(data), &Options{Candidates: []string{"a"}}); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("bad candidates: %v", err)
	}
}

func TestDamagedHeaders(t *testing.T) {
	for _, tt := range []struct {
		file string
		line int
		want string
	}{
		{"test.encrypted_invalidHeader.backup", 5, "user password salt"},
		{"test.encrypted_invalidHeader2.backup", 6, "master key checksum salt"},
	} {
		_, err := NewReader(bytes.NewReader(readFile(t, tt.file)), &Options{Password: StaticPassword("12345")})
		var he *HeaderError
		if !errors.As(err, &he) || he.Line != tt.line || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrHeader) {
			t.Errorf("%s: err = %v, want header error on line %d", tt.file, err, tt.line)
		}
		if errors.Is(err, ErrWrongPassword) || errors.Is(err, ErrPasswordRequired) {
			t.Errorf("%s: header damage reported as a password problem", tt.file)
		}
	}
	for _, tt := range []struct {
		in   string
		line int
	}{
		{"ANDROID BACKUQ\n1\n0\nnone\n", 1},
		{"PK\x03\x04 something", 1},
		{"ANDROID BACKUP\nx\n0\nnone\n", 2},
		{"ANDROID BACKUP\n0\n0\nnone\n", 2},
		{"ANDROID BACKUP\n5\n2\nnone\n", 3},
		{"ANDROID BACKUP\n5\n0\nAES-128\n", 4},
		{"ANDROID BACKUP\n5\n0\nAES-256\nZZ\n", 5},
		{"ANDROID BACKUP\n5\n0\nAES-256\n" + strings.Repeat("00", 64) + "\n" + strings.Repeat("00", 64) + "\n99999999\n", 7},
		{"ANDROID BACKUP\n5\n0\nAES-256\n" + strings.Repeat("00", 64) + "\n" + strings.Repeat("00", 64) + "\n10000\n00\n", 8},
		{"ANDROID BACKUP\n5\n0\nAES-256\n" + strings.Repeat("00", 64) + "\n" + strings.Repeat("00", 64) + "\n10000\n" + strings.Repeat("00", 16) + "\n0011\n", 9},
		{"ANDROID BACKUP\n" + strings.Repeat("9", 2000) + "\n", 2},
	} {
		_, err := NewReader(strings.NewReader(tt.in), nil)
		var he *HeaderError
		if !errors.As(err, &he) || he.Line != tt.line {
			t.Errorf("%q: err = %v, want header error on line %d", tt.in[:min(len(tt.in), 30)], err, tt.line)
		}
	}
	// Version above 5 is accepted with a warning.
	r, err := NewReader(strings.NewReader("ANDROID BACKUP\n7\n0\nnone\n"), nil)
	if err != nil || r.Header().Warning == "" {
		t.Errorf("version 7: %v, warning %q", err, r.Header().Warning)
	}
	// Not a backup at all.
	if _, err := NewReader(strings.NewReader("SQLite format 3\x00"), nil); !errors.Is(err, ErrNotAndroidBackup) {
		t.Errorf("sqlite: %v", err)
	}
}

// makeTar builds a small tar with pseudo-random content.
func makeTar(t testing.TB, seed int64, n int) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	rnd := rand.New(rand.NewSource(seed))
	for i := 0; i < n; i++ {
		body := make([]byte, rnd.Intn(3000))
		for j := range body {
			body[j] = "abcdefgh\n"[rnd.Intn(9)]
		}
		if err := tw.WriteHeader(&tar.Header{Name: "apps/com.example/f/file" + string(rune('a'+i%26)), Mode: 0600, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	tw.Close()
	return buf.Bytes()
}

func build(t testing.TB, o WriterOptions, payload []byte) []byte {
	var out bytes.Buffer
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewSource(1))
	}
	w, err := NewWriter(&out, o)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(payload)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestRoundTrip(t *testing.T) {
	payload := makeTar(t, 7, 20)
	for _, o := range []WriterOptions{
		{Version: 5},
		{Version: 5, Compress: true},
		{Version: 5, Password: "123456", Rounds: 50},
		{Version: 4, Compress: true, Password: "пароль 密码 🔑", Rounds: 50},
		{Version: 1, Compress: true, Password: "пароль", Rounds: 50, Legacy8bit: true},
		{Version: 3, Compress: false, Password: "x", Rounds: 50, Legacy8bit: true},
	} {
		data := build(t, o, payload)
		out, r, err := decodeAll(data, &Options{Password: StaticPassword(o.Password)})
		if err != nil {
			t.Errorf("%+v: %v", o, err)
			continue
		}
		if !bytes.Equal(out, payload) {
			t.Errorf("%+v: payload differs (%d vs %d bytes)", o, len(out), len(payload))
		}
		if o.Password != "" {
			want := "checksum=utf8"
			if o.Legacy8bit {
				want = "checksum=8bit"
			}
			if !strings.Contains(r.KeyMode(), want) {
				t.Errorf("%+v: KeyMode %q, want %s", o, r.KeyMode(), want)
			}
		}
	}
}

// An 8-bit password (pre-4.4 Android with a non-ASCII password) unlocks with
// the user-typed Unicode password.
func TestEightBitPassword(t *testing.T) {
	payload := makeTar(t, 3, 3)
	typed := "pässwörd"
	data := build(t, WriterOptions{Version: 1, Password: eightBit(typed), Rounds: 20, Legacy8bit: true}, payload)
	out, r, err := decodeAll(data, &Options{Password: StaticPassword(typed)})
	if err != nil || !bytes.Equal(out, payload) {
		t.Fatalf("err %v", err)
	}
	if r.KeyMode() != "password=8bit checksum=8bit" {
		t.Errorf("KeyMode %q", r.KeyMode())
	}
}

// Cutting a backup at every byte never panics and gives a typed truncation
// error (from the header, the cipher or zlib layer); an uncompressed,
// unencrypted payload just ends early (the tar layer notices).
func TestTruncateEveryByte(t *testing.T) {
	payload := makeTar(t, 11, 4)
	for _, o := range []WriterOptions{
		{Version: 5, Compress: true},
		{Version: 5, Password: "pw", Rounds: 2},
		{Version: 5, Compress: true, Password: "pw", Rounds: 2},
		{Version: 5},
	} {
		data := build(t, o, payload)
		for n := 0; n < len(data); n++ {
			out, _, err := decodeAll(data[:n], &Options{Password: StaticPassword("pw")})
			if o.Password == "" && !o.Compress && n >= 24 {
				// A tail of tar padding NULs may be dropped as junk.
				if err != nil || !bytes.HasPrefix(payload, out) || len(out) < (n-24)/512*512 {
					t.Fatalf("%+v cut %d: err %v", o, n, err)
				}
				continue
			}
			if err == nil {
				t.Fatalf("%+v cut at %d: no error", o, n)
			}
			if n == 0 {
				if !errors.Is(err, ErrHeader) {
					t.Fatalf("empty: %v", err)
				}
				continue
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || !ce.Truncated {
				t.Fatalf("%+v cut at %d: err = %v, want truncation", o, n, err)
			}
			if !strings.Contains(err.Error(), "truncated at offset") {
				t.Fatalf("message %q", err)
			}
		}
	}
	// The real encrypted sample, cut at a spread of offsets.
	data := readFile(t, "test.encrypted.backup")
	for n := 1; n < len(data); n += 397 {
		_, _, err := decodeAll(data[:n], &Options{Candidates: []string{"12345"}})
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("abe encrypted cut at %d: %v", n, err)
		}
	}
}

// Flipping bytes in the payload gives ErrCorrupt, never a panic.
func TestCorruptPayload(t *testing.T) {
	data := readFile(t, "test.unencrypted.backup")
	rnd := rand.New(rand.NewSource(5))
	for i := 0; i < 200; i++ {
		d := append([]byte(nil), data...)
		pos := 24 + rnd.Intn(len(d)-24)
		d[pos] ^= byte(1 + rnd.Intn(255))
		_, _, err := decodeAll(d, nil)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Fatalf("flip at %d: untyped error %v", pos, err)
		}
	}
}

func BenchmarkDecryptInflate(b *testing.B) {
	// 32 MiB of compressible tar-like data.
	payload := make([]byte, 32<<20)
	rnd := rand.New(rand.NewSource(1))
	for i := range payload {
		if i%7 == 0 {
			payload[i] = byte(rnd.Intn(256))
		} else {
			payload[i] = "the quick brown fox "[i%20]
		}
	}
	data := build(b, WriterOptions{Version: 5, Compress: true, Password: "pw"}, payload)
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := NewReader(bytes.NewReader(data), &Options{Candidates: []string{"pw"}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
