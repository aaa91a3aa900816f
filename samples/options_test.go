//go:build !js

package samples

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileAllKinds generates every kind with -hostile and checks the
// payloads reach the files and the truth.
func TestHostileAllKinds(t *testing.T) {
	for _, k := range []struct{ kind, out, variant string }{
		{"mmssms", "m.db", ""}, {"ab", "a.ab", ""}, {"ab-encrypted", "e.ab", ""}, {"miui", "miui", ""},
		{"miui", "miui.zip", "zip,encrypted,xspace"}, {"dump", "d.zip", ""}, {"smsbr", "sb", ""}, {"vcard", "c.vcf", ""},
	} {
		t.Run(k.kind+"/"+k.variant, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), k.out)
			tr, err := Generate(Options{Kind: k.kind, Seed: 5, Out: out, Variant: k.variant, Hostile: true, Password: DefaultPassword})
			if err != nil {
				t.Fatal(err)
			}
			tj, _ := json.Marshal(tr)
			if !bytes.Contains(tj, []byte(`onerror=alert(1)`)) && !bytes.Contains(tj, []byte(`\u003cimg src=x onerror=alert(1)\u003e`)) {
				t.Errorf("no payload in the truth")
			}
			if !tr.Options.Hostile {
				t.Error("truth options.hostile not set")
			}
		})
	}
	// the messenger database carries a table with a hostile name
	out := filepath.Join(t.TempDir(), "h.ab")
	if _, err := Generate(Options{Kind: "ab", Seed: 5, Out: out, Variant: "uncompressed", Hostile: true}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if !bytes.Contains(b, []byte(`CREATE TABLE "<img src=x onerror=alert(1)>"`)) || !bytes.Contains(b, []byte(`<script>alert(1)</script>`)) {
		t.Error("hostile table/body not found in the uncompressed .ab")
	}
}

// TestDeletedRowsRecoverable checks that -deleted rows are gone from the
// live tables but their text is still in the file (free space).
func TestDeletedRowsRecoverable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "del.db")
	tr, err := Generate(Options{Kind: "mmssms", Seed: 9, Out: out, Variant: "aosp", Deleted: true})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Removed == nil || len(tr.Removed.Messages) == 0 {
		t.Fatal("no removed messages recorded")
	}
	raw, _ := os.ReadFile(out)
	db := openRO(t, copyToTemp(t, out, false), false)
	checkMmssms(t, db, tr.Messages, tr.Examples.Messages)
	recovered := 0
	for _, m := range tr.Removed.Messages {
		if n := qInt(t, db, "SELECT count(*) FROM sms WHERE body=? AND address=?", m.Body, m.Address); n != 0 {
			t.Errorf("removed message %q still live", m.Body)
		}
		// a freeblock header overwrites 4 bytes; look for the tail
		body := []byte(m.Body)
		if len(body) > 12 && bytes.Contains(raw, body[6:]) {
			recovered++
		}
	}
	if recovered == 0 {
		t.Errorf("none of the %d removed bodies is still in the file", len(tr.Removed.Messages))
	}
	t.Logf("%d of %d removed bodies still in the file bytes", recovered, len(tr.Removed.Messages))
	// dump: removed contacts and calls are not live
	dout := filepath.Join(t.TempDir(), "del.zip")
	dtr, err := Generate(Options{Kind: "dump", Seed: 9, Out: dout, Deleted: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(dtr.Removed.Calls) == 0 || len(dtr.Removed.Contacts) == 0 {
		t.Errorf("dump removed: %d calls %d contacts", len(dtr.Removed.Calls), len(dtr.Removed.Contacts))
	}
	for _, c := range dtr.Removed.Contacts {
		for _, x := range dtr.Examples.Contacts {
			if x.DisplayName == c.DisplayName && strings.Join(x.Phones, ",") == strings.Join(c.Phones, ",") {
				t.Errorf("removed contact %q used as a live example", c.DisplayName)
			}
		}
	}
}

// TestSecretsNotInTruthCounts makes sure secrets exist for kinds that carry
// passwords, and that the Wi-Fi summary itself never holds one.
func TestSecretsNotInTruthCounts(t *testing.T) {
	tr, err := ReadTruth("small/dump.zip.truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Secrets) == 0 {
		t.Fatal("no secrets listed")
	}
	wj, _ := json.Marshal(tr.Identifiers)
	for _, s := range tr.Secrets {
		if bytes.Contains(wj, []byte(s)) {
			t.Errorf("secret %q appears in identifiers", s)
		}
	}
}

// TestSizedSamples checks -size: outputs near the target whose truth still
// matches (entries, messages, tar hash).
func TestSizedSamples(t *testing.T) {
	const size = 12 << 20
	dir := t.TempDir()
	out := filepath.Join(dir, "s.ab")
	tr, err := Generate(Options{Kind: "ab-encrypted", Seed: 4, Out: out, Size: size, Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(out)
	if d := int64(len(data)) - size; d < -size/20 || d > size/20 {
		t.Errorf(".ab is %d bytes for a %d target", len(data), size)
	}
	tb, err := readAB(data, "pw")
	if err != nil {
		t.Fatal(err)
	}
	checkABTar(t, tb, tr)
	if tr.Messages.SMS < 1000 {
		t.Errorf("only %d SMS at %d bytes", tr.Messages.SMS, size)
	}
	dout := filepath.Join(dir, "d.zip")
	dtr, err := Generate(Options{Kind: "dump", Seed: 4, Out: dout, Size: size})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(dout)
	if d := st.Size() - size; d < -size/20 || d > size/20 {
		t.Errorf("dump is %d bytes for a %d target", st.Size(), size)
	}
	var total int64
	for _, e := range dtr.Entries {
		total += e.Size
	}
	if total < size*9/10 {
		t.Errorf("dump entries sum to %d", total)
	}
}
