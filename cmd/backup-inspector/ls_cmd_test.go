package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
)

const abeDir = "../../parsers/androidbackup/testdata/ab-abe"

// mainJavaSHA is the SHA-256 of Main.java inside the tar of every ab-abe
// sample.
const mainJavaSHA = "c7313b5729310139d8e55c855cde16ddba60a9644b9f3cf7a564d3d855e001ff"

func runLsJSON(t *testing.T, args ...string) (lsOutput, int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(append([]string{"ls", "--json"}, args...), &out, &errb)
	var res lsOutput
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("bad JSON (%v): %s\nstderr: %s", err, out.String(), errb.String())
	}
	return res, code, errb.String()
}

func findEntry(res lsOutput, path string) (container.Entry, bool) {
	for _, e := range res.Entries {
		if e.Path == path {
			return e, true
		}
	}
	return container.Entry{}, false
}

func TestLsEncrypted(t *testing.T) {
	t.Setenv(passwordEnv, "")
	file := filepath.Join(abeDir, "test.encrypted.backup")
	before, _ := os.ReadFile(file)
	st0, _ := os.Stat(file)

	res, code, _ := runLsJSON(t, "--password", "12345", file)
	if code != exitOK {
		t.Errorf("exit %d, problems %+v", code, res.Problems)
	}
	e, ok := findEntry(res, "test.encrypted.backup!src/main/java/org/nick/abe/Main.java")
	if !ok || e.SHA256 != mainJavaSHA || e.Size != 1362 {
		t.Errorf("Main.java entry %+v in %+v", e, res.Entries)
	}
	top, _ := findEntry(res, "test.encrypted.backup")
	sum := sha256.Sum256(before)
	if top.SHA256 != hex.EncodeToString(sum[:]) || top.Size != int64(len(before)) || top.Container != "android-backup" {
		t.Errorf("top entry %+v", top)
	}

	// No password (stdin is not a terminal in tests): exit 1, problem.
	res, code, _ = runLsJSON(t, file)
	if code != exitInputError || len(res.Problems) != 1 || res.Problems[0].Code != container.CodePasswordRequired || res.Problems[0].Input != "test.encrypted.backup" {
		t.Errorf("no password: exit %d problems %+v", code, res.Problems)
	}
	// Wrong password.
	res, code, _ = runLsJSON(t, "--password", "x", file)
	if code != exitInputError || len(res.Problems) != 1 || res.Problems[0].Code != container.CodeWrongPassword {
		t.Errorf("wrong password: exit %d problems %+v", code, res.Problems)
	}
	// From the environment.
	t.Setenv(passwordEnv, "12345")
	res, code, _ = runLsJSON(t, file)
	if _, ok := findEntry(res, "test.encrypted.backup!src/main/java/org/nick/abe/Main.java"); code != exitOK || !ok {
		t.Errorf("env password: exit %d %+v", code, res.Problems)
	}
	// The evidence is untouched.
	after, _ := os.ReadFile(file)
	st1, _ := os.Stat(file)
	if !bytes.Equal(before, after) || !st0.ModTime().Equal(st1.ModTime()) {
		t.Error("input file changed")
	}
}

func TestLsFolder(t *testing.T) {
	t.Setenv(passwordEnv, "")
	dir := t.TempDir()
	set := filepath.Join(dir, "AllBackup")
	os.MkdirAll(filepath.Join(set, "sub"), 0o755)
	data, err := os.ReadFile(filepath.Join(abeDir, "test.unencrypted.backup"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(set, "sub", "app.ab"), data, 0o644)
	os.WriteFile(filepath.Join(set, "b!weird%.txt"), []byte("hello"), 0o644)
	os.WriteFile(filepath.Join(set, "a.txt"), []byte("a"), 0o644)
	if err := os.Symlink("/etc/passwd", filepath.Join(set, "link")); err != nil {
		t.Skip("no symlinks here")
	}
	res, code, _ := runLsJSON(t, set)
	if code != exitOK {
		t.Errorf("exit %d: %+v", code, res.Problems)
	}
	var paths []string
	for _, e := range res.Entries {
		paths = append(paths, e.Path)
	}
	want := "AllBackup AllBackup/a.txt AllBackup/b%21weird%25.txt AllBackup/sub/app.ab AllBackup/sub/app.ab!src/main/java/org/nick/abe/AndroidBackup.java AllBackup/sub/app.ab!src/main/java/org/nick/abe/Main.java"
	if strings.Join(paths, " ") != want {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(paths, " "), want)
	}
	if len(res.Problems) != 1 || !res.Problems[0].Warning || !strings.Contains(res.Problems[0].Message, "symbolic link") {
		t.Errorf("problems %+v", res.Problems)
	}
	if len(res.Inputs) != 1 || res.Inputs[0].Format != "folder" || res.Limits.MaxDepth != container.DefaultMaxDepth {
		t.Errorf("inputs %+v limits %+v", res.Inputs, res.Limits)
	}
	// Text output lists the same paths.
	var out, errb bytes.Buffer
	if code := runMain([]string{"ls", set}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "AllBackup/sub/app.ab!src/main/java/org/nick/abe/Main.java") {
		t.Errorf("text: %d %s", code, out.String())
	}
}

func TestLsUsageAndErrors(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runMain([]string{"ls"}, &out, &errb); code != exitUsage {
		t.Errorf("no args: exit %d", code)
	}
	if code := runMain([]string{"ls", "--bogus", "x"}, &out, &errb); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
	if code := runMain([]string{"ls", "--spool-limit", "lots", "x"}, &out, &errb); code != exitUsage {
		t.Errorf("bad spool limit: exit %d", code)
	}
	if code := runMain([]string{"ls", filepath.Join(t.TempDir(), "missing")}, &out, &errb); code != exitInputError {
		t.Errorf("missing file: exit %d", code)
	}
	// A damaged header is a problem naming the line, exit 1.
	res, code, _ := runLsJSON(t, filepath.Join(abeDir, "test.encrypted_invalidHeader.backup"))
	if code != exitInputError || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "line 5") {
		t.Errorf("invalid header: %d %+v", code, res.Problems)
	}
	// Guards can be changed from the command line.
	res, _, _ = runLsJSON(t, "--max-depth", "3", "--max-entries", "7", "--spool-limit", "2M", filepath.Join(abeDir, "uncompressed.backup"))
	if res.Limits.MaxDepth != 3 || res.Limits.MaxEntries != 7 || res.Limits.SpoolLimit != 2<<20 {
		t.Errorf("limits %+v", res.Limits)
	}
}

// A fake terminal: prompts, retries after a wrong password, reuse of the
// last typed password, and no prompting without a terminal.
func TestPasswordSource(t *testing.T) {
	t.Setenv(passwordEnv, "")
	var prompts bytes.Buffer
	typed := []string{"first", "second"}
	p := newPasswordSource("", os.Stdin, &prompts)
	p.isTTY = func(int) bool { return true }
	p.readPW = func(int) ([]byte, error) {
		if len(typed) == 0 {
			return nil, errors.New("eof")
		}
		s := typed[0]
		typed = typed[1:]
		return []byte(s), nil
	}
	cb := p.Callback()
	if pw, ok := cb(container.PasswordRequest{Path: "a.ab", Attempt: 1}); !ok || pw != "first" {
		t.Errorf("attempt 1: %q %v", pw, ok)
	}
	if pw, ok := cb(container.PasswordRequest{Path: "a.ab", Attempt: 2, LastErr: container.ErrWrongPassword}); !ok || pw != "second" {
		t.Errorf("attempt 2: %q %v", pw, ok)
	}
	if !strings.Contains(prompts.String(), "Password for a.ab") || !strings.Contains(prompts.String(), "Wrong password for a.ab") {
		t.Errorf("prompts %q", prompts.String())
	}
	// The next file first gets the last typed password, without a prompt.
	prompts.Reset()
	if pw, ok := cb(container.PasswordRequest{Path: "b.ab", Attempt: 1}); !ok || pw != "second" || prompts.Len() != 0 {
		t.Errorf("reuse: %q %v %q", pw, ok, prompts.String())
	}
	// Typing nothing more: give up.
	if _, ok := cb(container.PasswordRequest{Path: "b.ab", Attempt: 2, LastErr: container.ErrWrongPassword}); ok {
		t.Error("expected give-up")
	}

	// Flag beats environment; no terminal means no retry.
	t.Setenv(passwordEnv, "fromenv")
	q := newPasswordSource("fromflag", os.Stdin, &prompts)
	q.isTTY = func(int) bool { return false }
	if pw, ok := q.Callback()(container.PasswordRequest{Attempt: 1}); pw != "fromflag" || !ok {
		t.Errorf("flag: %q", pw)
	}
	if _, ok := q.Callback()(container.PasswordRequest{Attempt: 2}); ok {
		t.Error("retry without terminal")
	}
	r := newPasswordSource("", os.Stdin, &prompts)
	if pw, _ := r.Callback()(container.PasswordRequest{Attempt: 1}); pw != "fromenv" {
		t.Errorf("env: %q", pw)
	}
	t.Setenv(passwordEnv, "")
	s := newPasswordSource("", nil, nil)
	if _, ok := s.Callback()(container.PasswordRequest{Attempt: 1}); ok {
		t.Error("password without any source")
	}
}
