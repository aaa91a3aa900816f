package messages_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/artifacts/messages"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// counts are what the message tests compare with a truth file.
type counts struct {
	total, sms, mms, incoming, outgoing, drafts, failed, unread, threads, blocked, attachments int
}

func count(ms []report.Message) counts {
	var c counts
	threads := map[string]bool{}
	for _, m := range ms {
		c.total++
		if m.Kind == "sms" {
			c.sms++
		} else {
			c.mms++
		}
		switch m.Direction {
		case report.DirIncoming:
			c.incoming++
			if m.Read != nil && !*m.Read {
				c.unread++
			}
		case report.DirOutgoing:
			c.outgoing++
		case report.DirFailed:
			c.outgoing++ // truth counts failed messages as outgoing too
			c.failed++
		case report.DirDraft:
			c.drafts++
		}
		if m.Thread != "" {
			threads[m.Thread] = true
		}
		if m.Extra["block_type"] != "" {
			c.blocked++
		}
		c.attachments += len(m.Attachments)
	}
	c.threads = len(threads)
	return c
}

func TestSmallSamples(t *testing.T) {
	tests := []struct {
		file       string
		noBlocked  bool // the format has no block information (AOSP columns only, telephony JSON)
		noRead     bool // the format has no read flag
		wantSource string
	}{
		{file: "mmssms.db", wantSource: "mmssms.db#"},
		{file: "mmssms-wal.db", noBlocked: true, wantSource: "mmssms-wal.db#"},
		{file: "smsbr", noBlocked: true, wantSource: "smsbr/sms-"},
		{file: "dump.zip", wantSource: "dump.zip!data/user_de/0/com.android.providers.telephony/databases/mmssms.db#"},
		{file: "telephony.ab", noBlocked: true, noRead: true, wantSource: "telephony.ab!apps/com.android.providers.telephony/d_f/"},
		{file: "telephony-uncompressed.ab", noBlocked: true, noRead: true, wantSource: "telephony-uncompressed.ab!apps/com.android.providers.telephony/d_f/"},
		{file: "telephony-encrypted.ab", noBlocked: true, noRead: true, wantSource: "telephony-encrypted.ab!apps/com.android.providers.telephony/d_f/"},
		{file: "telephony-encrypted-v1.ab", noBlocked: true, noRead: true, wantSource: "telephony-encrypted-v1.ab!apps/com.android.providers.telephony/d_f/"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(smallDir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("sample not present: %v", err)
			}
			tr := loadTruth(t, path+".truth.json")
			paths := []string{path}
			if _, err := os.Stat(path + "-wal"); err == nil {
				paths = append(paths, path+"-wal")
			}
			rep := run(t, tr.Password, paths...)
			for _, p := range rep.Problems {
				t.Errorf("problem: %+v", p)
			}
			var sms, chats []report.Message
			for _, m := range rep.Messages {
				if m.Kind == "chat" {
					chats = append(chats, m)
				} else {
					sms = append(sms, m)
				}
			}
			checkChats(t, tr, chats)
			rep.Messages = sms
			got := count(rep.Messages)
			w := tr.Messages
			want := counts{w.Total, w.SMS, w.MMS, w.Incoming, w.Outgoing, w.Drafts, w.Failed, w.Unread, w.Threads, w.Blocked, w.Attachments}
			if tt.noBlocked {
				want.blocked = 0
			}
			haveRead := false
			for _, m := range rep.Messages {
				haveRead = haveRead || m.Read != nil
			}
			if !haveRead && tt.noRead {
				want.unread = 0 // older telephony JSON samples carry no read flag
			}
			if got != want {
				t.Errorf("counts\n got  %+v\n want %+v", got, want)
			}
			for _, m := range rep.Messages {
				if !strings.HasPrefix(m.Source, tt.wantSource) {
					t.Errorf("source %q", m.Source)
				}
				if m.Time == nil {
					t.Errorf("no time: %+v", m)
				}
			}
			checkExamples(t, tr, rep.Messages)
		})
	}
}

// checkChats compares WhatsApp messages with the truth's third-party app.
func checkChats(t *testing.T, tr *truth, chats []report.Message) {
	t.Helper()
	want, wantChats := 0, 0
	for _, app := range tr.ThirdParty {
		if app.Package == "com.whatsapp" {
			want += app.Messages
			wantChats += app.Chats
		}
	}
	threads := map[string]bool{}
	for _, m := range chats {
		threads[m.Thread] = true
		if m.App != "com.whatsapp" || m.Time == nil || m.Address == "" {
			t.Errorf("chat message %+v", m)
		}
	}
	if len(chats) != want || len(threads) != wantChats {
		t.Errorf("%d WhatsApp messages in %d chats, want %d in %d", len(chats), len(threads), want, wantChats)
	}
}

func checkExamples(t *testing.T, tr *truth, ms []report.Message) {
	t.Helper()
	if len(tr.Examples.Messages) == 0 {
		t.Error("truth has no examples")
	}
	for _, ex := range tr.Examples.Messages {
		var found *report.Message
		for i := range ms {
			m := &ms[i]
			if m.Kind == ex.Kind && m.Time != nil && m.Time.String() == ex.Time && m.Address == ex.Address {
				found = m
				break
			}
		}
		if found == nil {
			t.Errorf("example not found: %+v", ex)
			continue
		}
		if found.Body != ex.Body || found.Subject != ex.Subject {
			t.Errorf("example %s %s: body %q subject %q, want %q %q", ex.Kind, ex.Time, found.Body, found.Subject, ex.Body, ex.Subject)
		}
		if want := messages.SMSDirection(int64(ex.Box)); found.Direction != want {
			t.Errorf("example %s: direction %s, want %s", ex.Time, found.Direction, want)
		}
		if ex.SubID != 0 && found.SubID != nil && *found.SubID != int64(ex.SubID) {
			t.Errorf("example %s: subId %d, want %d", ex.Time, *found.SubID, ex.SubID)
		}
		if len(ex.Recipients) > 0 && !sameSet(found.Addresses, ex.Recipients) {
			t.Errorf("example %s: addresses %q, want %q", ex.Time, found.Addresses, ex.Recipients)
		}
		if ex.Kind == "mms" && (strings.Contains(found.Source, "#pdu:") || strings.Contains(found.Source, "#mms[")) {
			if len(found.Attachments) != len(ex.Attachments) {
				t.Errorf("example %s: %d attachments, want %d", ex.Time, len(found.Attachments), len(ex.Attachments))
				continue
			}
			for i, a := range ex.Attachments {
				g := found.Attachments[i]
				if g.ContentType != a.ContentType || g.Name != a.Name || g.Present && g.Size != a.Size {
					t.Errorf("example %s attachment %d: %+v, want %+v", ex.Time, i, g, a)
				}
			}
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestSelfPhone: the telephony JSON names the phone's own number once per
// file as a phone-number identifier.
func TestSelfPhone(t *testing.T) {
	path := filepath.Join(smallDir, "telephony.ab")
	tr := loadTruth(t, path+".truth.json")
	rep := run(t, "", path)
	got := map[string]int{}
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDPhoneNumber && id.Label == "self_phone" {
			got[id.Value]++
			if !id.Valid {
				t.Errorf("%s not valid", id.Value)
			}
		}
	}
	if len(got) == 0 {
		t.Fatal("no self_phone identifiers")
	}
	for v := range got {
		found := false
		for _, o := range tr.Identifiers.OwnNumbers {
			found = found || o == v
		}
		if !found {
			t.Errorf("self_phone %s not in truth own numbers %v", v, tr.Identifiers.OwnNumbers)
		}
	}
}

// TestLinksInMessages: bodies with links carry them normalised.
func TestLinksInMessages(t *testing.T) {
	rep := run(t, "", filepath.Join(smallDir, "mmssms.db"))
	var idn, short int
	for _, m := range rep.Messages {
		for _, l := range m.Links {
			if !strings.Contains(m.Body, l.Text) && !strings.Contains(m.Subject, l.Text) {
				t.Errorf("link text %q not in body %q", l.Text, m.Body)
			}
			if l.Display != "" {
				idn++
			}
			if l.Shortener {
				short++
			}
		}
		if strings.Contains(m.Body, "https://") && len(m.Links) == 0 {
			t.Errorf("no link found in %q", m.Body)
		}
	}
	if idn == 0 || short == 0 {
		t.Errorf("idn links %d, shorteners %d", idn, short)
	}
}

// TestMIUISamples: a MIUI backup set's SMS/MMS payloads have no public
// layout and are not decoded (the payloads module shows them); the
// WhatsApp app backup inside it is.
func TestMIUISamples(t *testing.T) {
	for _, name := range []string{"miui", "miui.zip", "miui-encrypted-xspace.zip"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(smallDir, name)
			if _, err := os.Stat(path); err != nil {
				t.Skip(err)
			}
			tr := loadTruth(t, path+".truth.json")
			rep := run(t, tr.Password, path)
			var chats []report.Message
			for _, m := range rep.Messages {
				if m.Kind != "chat" {
					t.Errorf("message decoded from a MIUI payload: %s", m.Source)
					continue
				}
				if !strings.Contains(m.Source, "(com.whatsapp).bak!apps/com.whatsapp/db/msgstore.db#message:") {
					t.Errorf("source %s", m.Source)
				}
				chats = append(chats, m)
			}
			checkChats(t, tr, chats)
		})
	}
}

// TestTimeZoneIndependent: the report is byte-identical whatever the
// local time zone.
func TestTimeZoneIndependent(t *testing.T) {
	paths := []string{filepath.Join(smallDir, "smsbr"), filepath.Join(smallDir, "mmssms.db"), filepath.Join(smallDir, "telephony.ab")}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skip(err)
		}
	}
	saved := time.Local
	defer func() { time.Local = saved }()
	var first []byte
	for _, zone := range []*time.Location{time.UTC, time.FixedZone("UTC+14", 14*3600), time.FixedZone("UTC-11", -11*3600), time.FixedZone("UTC+5:45", 5*3600+45*60)} {
		time.Local = zone
		out, err := report.Encode(run(t, "", paths...))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = out
		} else if !bytes.Equal(out, first) {
			t.Fatalf("report differs under %s", zone)
		}
	}
}
