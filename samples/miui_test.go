//go:build !js

package samples

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// parseMIUIHeader returns the header fields and the offset of the
// ANDROID BACKUP stream (formats.md §2.3).
func parseMIUIHeader(t *testing.T, b []byte) (pkg, label string, feature, extra int, off int) {
	t.Helper()
	lines := strings.SplitN(string(b[:min(len(b), 4096)]), "\n", 8)
	if lines[0] != "MIUI BACKUP" || lines[1] != "2" {
		t.Fatalf("bad MIUI header %q", lines[:2])
	}
	pkg, label, _ = strings.Cut(lines[2], " ")
	feature, _ = strconv.Atoi(lines[3])
	extra, _ = strconv.Atoi(lines[4])
	n := 5
	if extra == 1 || extra == 21 {
		n++
	}
	if extra == 20 || extra == 21 {
		n++
	}
	for i := 0; i < n; i++ {
		off += len(lines[i]) + 1
	}
	if !bytes.HasPrefix(b[off:], []byte("ANDROID BACKUP\n")) {
		t.Fatalf("%s: no ANDROID BACKUP at %d", pkg, off)
	}
	return
}

// pbCount counts the repeated top-level (or, with path, nested) field.
func pbFields(b []byte) map[int][][]byte {
	out := map[int][][]byte{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil
		}
		b = b[n:]
		switch typ {
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return nil
			}
			out[int(num)] = append(out[int(num)], v)
			b = b[m:]
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return nil
			}
			out[int(num)] = append(out[int(num)], protowire.AppendVarint(nil, v))
			b = b[m:]
		default:
			return nil
		}
	}
	return out
}

func checkMIUISet(t *testing.T, files map[string][]byte, prefix string, tr *Truth) {
	var entries []TruthEntry
	counts := map[string]int{}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	// entry order in the truth: descript.xml, then .bak files in descript order
	desc := files[prefix+"descript.xml"]
	if desc == nil || !bytes.HasPrefix(desc, []byte("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup>")) || bytes.Contains(desc, []byte("\n")) {
		t.Fatalf("descript.xml missing or not single-line")
	}
	sum := sha256.Sum256(desc)
	entries = append(entries, TruthEntry{Path: prefix + "descript.xml", Size: int64(len(desc)), SHA256: hex.EncodeToString(sum[:])})
	for _, part := range strings.Split(string(desc), "<bakFile>")[1:] {
		name := strings.ReplaceAll(strings.ReplaceAll(strings.Split(part, "</bakFile>")[0], "&lt;", "<"), "&gt;", ">")
		b, ok := files[prefix+name]
		if !ok {
			t.Fatalf("bakFile %q not in the set (have %v)", name, names)
		}
		s := sha256.Sum256(b)
		entries = append(entries, TruthEntry{Path: prefix + name, Size: int64(len(b)), SHA256: hex.EncodeToString(s[:])})
		pkg, _, feature, extra, off := parseMIUIHeader(t, b)
		pw := ""
		if extra == 1 || extra == 21 {
			pw = tr.Password
		}
		tb, err := readAB(b[off:], pw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rd := tar.NewReader(bytes.NewReader(tb))
		for {
			h, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rd)
			s := sha256.Sum256(data)
			entries = append(entries, TruthEntry{Path: prefix + name + "!" + h.Name, Size: int64(len(data)), SHA256: hex.EncodeToString(s[:])})
			if strings.HasSuffix(h.Name, "/_tmp_meta") {
				if l := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"); len(l) != 9 || l[1] != pkg || l[6] != strconv.Itoa(feature) || l[7] != tr.Device.Codename || l[8] != tr.Device.ROM {
					t.Errorf("%s: _tmp_meta %q", name, l)
				}
			}
			if !strings.HasSuffix(h.Name, "/miui_bak/_tmp_bak") {
				continue
			}
			f := pbFields(data)
			switch {
			case pkg == "com.android.contacts" && feature == 2:
				counts["contacts"] = len(f[1])
			case pkg == "com.android.contacts" && feature == 1:
				counts["calls"] = len(pbFields(f[2][0])[1])
			case pkg == "com.android.mms" && feature == 1:
				counts["sms"] = len(f[1])
			case pkg == "com.android.mms" && feature == 2:
				counts["mms"] = len(f[1])
			}
		}
	}
	ej, _ := json.Marshal(entries)
	wj, _ := json.Marshal(tr.Entries)
	if string(ej) != string(wj) {
		t.Errorf("entries differ:\n got %s\nwant %s", ej, wj)
	}
	if counts["contacts"] != tr.Contacts.Total || counts["calls"] != tr.Calls.Total || counts["sms"] != tr.Messages.SMS || counts["mms"] != tr.Messages.MMS {
		t.Errorf("payload counts %v, truth contacts %d calls %d sms %d mms %d", counts, tr.Contacts.Total, tr.Calls.Total, tr.Messages.SMS, tr.Messages.MMS)
	}
}

func TestSmallTruthMIUI(t *testing.T) {
	t.Run("folder", func(t *testing.T) {
		tr, err := ReadTruth("small/miui.truth.json")
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join("small", tr.File)
		files := map[string][]byte{}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			files[e.Name()] = b
		}
		checkMIUISet(t, files, "", tr)
	})
	for _, name := range []string{"miui.zip", "miui-encrypted-xspace.zip"} {
		t.Run(name, func(t *testing.T) {
			tr, err := ReadTruth("small/" + name + ".truth.json")
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.OpenReader("small/" + name)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			files := map[string][]byte{}
			prefix := ""
			for _, f := range zr.File {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				files[f.Name] = b
				if strings.HasSuffix(f.Name, "/descript.xml") {
					prefix = strings.TrimSuffix(f.Name, "descript.xml")
				}
			}
			checkMIUISet(t, files, prefix, tr)
		})
	}
}
