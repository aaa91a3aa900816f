package main

// CLI-level guarantees, checked on the real process (this test binary run
// again as the command): exit codes; byte-identical JSON under different
// TZ, LANG/LC_ALL, GOMAXPROCS, working directories and argument orders;
// inputs left byte-for-byte (and mtime-for-mtime) untouched; nothing written
// beside the inputs or in the working directory; no password prompt (or
// hang) without a terminal; hostile inputs reported, not fatal.

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestReproHelperProcess is the command when BI_REPRO_HELPER is set: it runs
// the CLI with the arguments in BI_REPRO_ARGS (a JSON array) and exits.
func TestReproHelperProcess(t *testing.T) {
	if os.Getenv("BI_REPRO_HELPER") != "1" {
		t.Skip("helper process only")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv("BI_REPRO_ARGS")), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(runMain(args, os.Stdout, os.Stderr))
}

type cliRun struct {
	code           int
	stdout, stderr []byte
}

// cli runs the command in a fresh process with env added to a minimal
// environment (no TZ, LANG or LC_* of the machine running the tests), in
// directory dir ("" = a fresh empty one, checked to stay empty).
func cli(t *testing.T, env []string, dir string, stdin io.Reader, args ...string) cliRun {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	checkEmpty := dir == ""
	if checkEmpty {
		dir = t.TempDir()
	}
	cmd := exec.Command(exe, "-test.run=^TestReproHelperProcess$")
	cmd.Dir = dir
	argv, _ := json.Marshal(args)
	cmd.Env = append([]string{"BI_REPRO_HELPER=1", "BI_REPRO_ARGS=" + string(argv),
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%v: no exit within 2 minutes (waiting for input?)", args)
	}
	r := cliRun{code: 0, stdout: out.Bytes(), stderr: errb.Bytes()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if checkEmpty {
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%v wrote %d entries into its working directory (%s…)", args, len(ents), ents[0].Name())
		}
	}
	return r
}

// copyTree copies samples into a fresh directory: the tests then see every
// byte of it.
func copyTree(t *testing.T, dst string, srcs ...string) []string {
	t.Helper()
	var out []string
	for _, src := range srcs {
		st, err := os.Stat(src)
		if err != nil {
			t.Skipf("sample missing: %v", err)
		}
		target := filepath.Join(dst, filepath.Base(src))
		out = append(out, target)
		if !st.IsDir() {
			copyFile(t, src, target)
			continue
		}
		filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(target, rel), 0o755)
			}
			copyFile(t, p, filepath.Join(target, rel))
			return nil
		})
	}
	return out
}

func copyFile(t *testing.T, src, dst string) {
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o444); err != nil {
		t.Fatal(err)
	}
	// A fixed old mtime, so a rewrite would show.
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	os.Chtimes(dst, old, old)
}

// treeState lists every file and directory below root with its size, mode,
// mtime and SHA-256.
func treeState(t *testing.T, root string) map[string]string {
	t.Helper()
	st := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			st[p] = "error " + err.Error()
			return nil
		}
		info, _ := d.Info()
		v := fmt.Sprintf("%v %d %s", info.Mode(), info.Size(), info.ModTime().UTC().Format(time.RFC3339Nano))
		if d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			s := sha256.Sum256(b)
			v += " " + hex.EncodeToString(s[:])
		}
		st[p] = v
		return nil
	})
	return st
}

func diffStates(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	var keys []string
	for k := range before {
		keys = append(keys, k)
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if before[k] != after[k] {
			t.Errorf("%s changed %s: %q → %q", what, k, before[k], after[k])
		}
	}
}

func small(name string) string { return filepath.Join("..", "..", "samples", "small", name) }

// reproInputs copies a set of small samples of every kind (with a WAL
// beside its database) into a fresh directory.
func reproInputs(t *testing.T) (dir string, paths []string) {
	dir = t.TempDir()
	paths = copyTree(t, dir, small("telephony.ab"), small("mmssms-wal.db"), small("mmssms-wal.db-wal"), small("dump.zip"),
		small("miui.zip"), small("miui"), small("smsbr"), small("contacts.vcf"))
	// the -wal is picked up beside its database, not given as an input
	var in []string
	for _, p := range paths {
		if !strings.HasSuffix(p, "-wal") {
			in = append(in, p)
		}
	}
	return dir, in
}

// TestReproducibleReport: the same inputs give byte-identical JSON whatever
// the time zone, locale, CPU count or working directory.
func TestReproducibleReport(t *testing.T) {
	dir, inputs := reproInputs(t)
	before := treeState(t, dir)
	envs := [][]string{
		{"TZ=UTC", "LANG=C"},
		{"TZ=Asia/Kathmandu", "LANG=tr_TR.UTF-8", "LC_ALL=tr_TR.UTF-8"},
		{"TZ=America/St_Johns", "LC_ALL=ar_SA.UTF-8", "GOMAXPROCS=1"},
		{"TZ=Pacific/Kiritimati", "LANG=ja_JP.eucJP", "LC_TIME=fa_IR.UTF-8", "GOMAXPROCS=7"},
		{"TZ=:/etc/localtime"},
		{},
	}
	var want []byte
	for _, env := range envs {
		args := append([]string{"inspect", "--json"}, inputs...)
		r := cli(t, env, "", nil, args...)
		if r.code != 0 {
			t.Fatalf("env %v: exit %d: %s", env, r.code, r.stderr)
		}
		if !json.Valid(r.stdout) {
			t.Fatalf("env %v: output is not JSON", env)
		}
		if want == nil {
			want = r.stdout
			continue
		}
		if !bytes.Equal(r.stdout, want) {
			t.Errorf("env %v: report differs (%d vs %d bytes): %s", env, len(r.stdout), len(want), firstDiff(r.stdout, want))
		}
	}
	// Run from the inputs' own directory with relative paths: same bytes.
	var rel []string
	for _, p := range inputs {
		rel = append(rel, filepath.Base(p))
	}
	r := cli(t, []string{"TZ=Europe/Moscow"}, dir, nil, append([]string{"inspect", "--json"}, rel...)...)
	if !bytes.Equal(r.stdout, want) {
		t.Errorf("relative paths from another directory: report differs: %s", firstDiff(r.stdout, want))
	}
	// The chain of custody: generator and every input's SHA-256.
	var rep struct {
		Generator struct{ Name, Version string }
		Inputs    []struct {
			Name   string
			Size   int64
			SHA256 string
		}
	}
	if err := json.Unmarshal(want, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Generator.Name != "backup-inspector" || rep.Generator.Version == "" {
		t.Errorf("generator %+v", rep.Generator)
	}
	for _, in := range rep.Inputs {
		p := filepath.Join(dir, in.Name)
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("input %q is not a path given", in.Name)
			continue
		}
		if st.IsDir() {
			continue
		}
		b, _ := os.ReadFile(p)
		s := sha256.Sum256(b)
		if in.SHA256 != hex.EncodeToString(s[:]) || in.Size != int64(len(b)) {
			t.Errorf("input %s: report says %d bytes %s, file has %d bytes %x", in.Name, in.Size, in.SHA256, len(b), s)
		}
	}
	// ls --json is reproducible too.
	var lsWant []byte
	for _, env := range envs[:3] {
		r := cli(t, env, "", nil, append([]string{"ls", "--json"}, inputs...)...)
		if r.code != 0 {
			t.Fatalf("ls: exit %d: %s", r.code, r.stderr)
		}
		if lsWant == nil {
			lsWant = r.stdout
		} else if !bytes.Equal(r.stdout, lsWant) {
			t.Errorf("ls env %v: output differs: %s", env, firstDiff(r.stdout, lsWant))
		}
	}
	diffStates(t, "input tree", before, treeState(t, dir))
}

// TestReproducibleAcrossInputOrder: the same set of inputs in another order
// gives the same bytes.
func TestReproducibleAcrossInputOrder(t *testing.T) {
	_, inputs := reproInputs(t)
	fwd := cli(t, nil, "", nil, append([]string{"inspect", "--json"}, inputs...)...)
	rev := []string{"inspect", "--json"}
	for j := len(inputs) - 1; j >= 0; j-- {
		rev = append(rev, inputs[j])
	}
	back := cli(t, nil, "", nil, rev...)
	if !bytes.Equal(fwd.stdout, back.stdout) {
		t.Errorf("reversed input order: report differs: %s", firstDiff(back.stdout, fwd.stdout))
	}
}

func firstDiff(a, b []byte) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			lo := max(0, i-60)
			return fmt.Sprintf("at byte %d: %q vs %q", i, a[lo:min(len(a), i+60)], b[lo:min(len(b), i+60)])
		}
	}
	return fmt.Sprintf("one is a prefix of the other (%d, %d bytes)", len(a), len(b))
}

// TestEvidenceUntouched: every subcommand leaves the inputs (and the
// directories holding them) exactly as they were: no -shm, no journal, no
// checkpoint, no changed mtime, nothing new.
func TestEvidenceUntouched(t *testing.T) {
	dir, inputs := reproInputs(t)
	enc := copyTree(t, dir, small("telephony-encrypted.ab"))[0]
	wal := filepath.Join(dir, "mmssms-wal.db")
	before := treeState(t, dir)
	runs := [][]string{
		append([]string{"inspect", "--json"}, inputs...),
		append([]string{"inspect"}, inputs...),
		append([]string{"ls", "--json"}, inputs...),
		{"inspect", "--json", "--password", "sample-password", enc},
		{"ls", "--password", "sample-password", enc},
		{"sqlite", "tables", wal},
		{"sqlite", "dump", wal, "sms"},
		{"sqlite", "tables", "--no-wal", wal},
	}
	for _, args := range runs {
		r := cli(t, nil, "", nil, args...)
		if r.code != 0 {
			t.Errorf("%v: exit %d: %.300s", args[:2], r.code, r.stderr)
		}
		diffStates(t, fmt.Sprintf("after %v", args[:2]), before, treeState(t, dir))
	}
	// The same from the page's side is in web/e2e (hashes before/after).
}

// TestExitCodes: 0 when every input was read, 1 when any input failed (the
// rest still reported), 2 on usage errors.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	good := copyTree(t, dir, small("mmssms.db"))[0]
	broken := filepath.Join(dir, "broken.db")
	os.WriteFile(broken, []byte("SQLite format 3\x00 and then nothing"), 0o444)
	enc := copyTree(t, dir, small("telephony-encrypted.ab"))[0]
	ab, err := os.ReadFile(small("telephony.ab"))
	if err != nil {
		t.Skip(err)
	}
	cut := filepath.Join(dir, "cut.ab")
	os.WriteFile(cut, ab[:len(ab)/2], 0o444)
	for _, c := range []struct {
		args  []string
		env   []string
		code  int
		check func(t *testing.T, r cliRun)
	}{
		{args: []string{"inspect", "--json", good}, code: 0},
		{args: []string{"inspect", "--json", broken, good}, code: 1, check: func(t *testing.T, r cliRun) {
			var rep struct {
				Messages []json.RawMessage
				Problems []struct{ Input, Code string }
			}
			if err := json.Unmarshal(r.stdout, &rep); err != nil {
				t.Fatalf("no report beside the failure: %v", err)
			}
			if len(rep.Messages) == 0 {
				t.Error("the good input was not reported")
			}
			named := false
			for _, p := range rep.Problems {
				named = named || p.Input == "broken.db"
			}
			if !named {
				t.Errorf("no problem names broken.db: %+v", rep.Problems)
			}
		}},
		// Encrypted, no password and no terminal: no prompt, no hang.
		{args: []string{"inspect", "--json", enc}, code: 1, check: wantProblem("password-required")},
		{args: []string{"inspect", "--json", "--password", "wrong", enc}, code: 1, check: wantProblem("wrong-password")},
		{args: []string{"inspect", "--json", enc}, env: []string{"BACKUP_INSPECTOR_PASSWORD=sample-password"}, code: 0},
		{args: []string{"ls", "--json", cut}, code: 1},
		{args: []string{"ls", "--json", good}, code: 0},
		{args: nil, code: 2},
		{args: []string{"no-such-command"}, code: 2},
		{args: []string{"inspect"}, code: 2},
		{args: []string{"inspect", "--no-such-flag", good}, code: 2},
		{args: []string{"ls"}, code: 2},
		{args: []string{"sqlite"}, code: 2},
		{args: []string{"help"}, code: 0},
	} {
		name := strings.Join(c.args, " ")
		t.Run(strings.ReplaceAll(name, dir+string(filepath.Separator), ""), func(t *testing.T) {
			r := cli(t, c.env, "", nil, c.args...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d: %.400s", r.code, c.code, r.stderr)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
	// A path that does not exist is an input that failed (exit 1, named on
	// stderr), not a crash, for every command.
	for _, cmd := range []string{"inspect", "ls"} {
		r := cli(t, nil, "", nil, cmd, filepath.Join(dir, "missing.ab"))
		if r.code != 1 || len(r.stderr) == 0 {
			t.Errorf("%s on a missing path: exit %d, stderr %q", cmd, r.code, r.stderr)
		}
	}
}

func wantProblem(code string) func(t *testing.T, r cliRun) {
	return func(t *testing.T, r cliRun) {
		var rep struct{ Problems []struct{ Code string } }
		if err := json.Unmarshal(r.stdout, &rep); err != nil {
			t.Fatal(err)
		}
		for _, p := range rep.Problems {
			if p.Code == code {
				return
			}
		}
		t.Errorf("no %s problem: %+v", code, rep.Problems)
	}
}

// TestHostileArchiveWritesNothing: entries named to climb out ("../../x",
// absolute paths) and links are reported; nothing is created anywhere in
// the tree around the input, and the exit code says an input failed.
func TestHostileArchiveWritesNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "a", "b")
	os.MkdirAll(dir, 0o755)
	db, err := os.ReadFile(small("mmssms.db"))
	if err != nil {
		t.Skip(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range []struct {
		name string
		typ  byte
		link string
	}{
		{"../../escaped.db", tar.TypeReg, ""},
		{"/tmp/bi-absolute-" + filepath.Base(root) + ".db", tar.TypeReg, ""},
		{"link.db", tar.TypeSymlink, "../../escaped.db"},
		{"hard.db", tar.TypeLink, "/etc/passwd"},
		{"ok/mmssms.db", tar.TypeReg, ""},
	} {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644, ModTime: time.Unix(1700000000, 0)}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(db))
		}
		tw.WriteHeader(h)
		if e.typ == tar.TypeReg {
			tw.Write(db)
		}
	}
	tw.Close()
	in := filepath.Join(dir, "hostile.tar")
	os.WriteFile(in, buf.Bytes(), 0o444)
	before := treeState(t, root)
	r := cli(t, nil, "", nil, "inspect", "--json", in)
	if r.code != 1 {
		t.Errorf("exit %d, want 1: %s", r.code, r.stderr)
	}
	var rep struct {
		Messages []struct{ Source string }
		Problems []struct{ Code, Path string }
	}
	if err := json.Unmarshal(r.stdout, &rep); err != nil {
		t.Fatal(err)
	}
	codes := map[string]int{}
	for _, p := range rep.Problems {
		codes[p.Code]++
	}
	if codes["path-traversal"] != 2 || codes["link"] != 2 {
		t.Errorf("problems %v, want 2 path-traversal and 2 link", codes)
	}
	for _, m := range rep.Messages {
		if !strings.HasPrefix(m.Source, "hostile.tar!ok/mmssms.db#") {
			t.Errorf("message from %s", m.Source)
		}
	}
	if len(rep.Messages) == 0 {
		t.Error("the safe entry was not read")
	}
	diffStates(t, "tree around the input", before, treeState(t, root))
	if _, err := os.Stat("/tmp/bi-absolute-" + filepath.Base(root) + ".db"); err == nil {
		t.Error("an absolute entry name was written")
	}
}
