package contacts_test

import (
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/contacts"
	"github.com/backupinspector/backupinspector/parsers/protobuf"
	"google.golang.org/protobuf/encoding/protowire"
)

type pb []byte

func (m pb) str(n int, s string) pb {
	m = protowire.AppendTag(m, protowire.Number(n), protowire.BytesType)
	return protowire.AppendString(m, s)
}
func (m pb) msg(n int, sub pb) pb {
	m = protowire.AppendTag(m, protowire.Number(n), protowire.BytesType)
	return protowire.AppendBytes(m, sub)
}
func (m pb) varint(n int, v uint64) pb {
	m = protowire.AppendTag(m, protowire.Number(n), protowire.VarintType)
	return protowire.AppendVarint(m, v)
}

func contactPayload() []byte {
	c1 := pb(nil).str(2, "7").varint(3, 2).
		msg(5, pb(nil).str(1, "Zoë Müller").str(2, "Zo")).
		msg(6, pb(nil).str(1, "+49 151 2345 6789").varint(2, 2)).
		msg(6, pb(nil).str(1, "030 1234567").varint(2, 3)).
		msg(7, pb(nil).str(1, "zoe@example.de").varint(2, 1)).
		msg(8, pb(nil).str(1, "1990-05-17").varint(2, 3)).
		msg(11, pb(nil).str(1, "met at the fair")).
		msg(12, pb(nil).str(1, "Acme").str(2, "CTO")).
		msg(13, pb(nil).str(1, "photo")).
		varint(18, 1)
	c2 := pb(nil).str(2, "8").varint(4, 1).msg(5, pb(nil).str(1, "Gone"))
	return pb(nil).msg(1, pb(nil).msg(2, c1)).msg(1, pb(nil).msg(2, c2))
}

func TestDecodeMIUIContacts(t *testing.T) {
	m, err := protobuf.Parse(contactPayload())
	if err != nil {
		t.Fatal(err)
	}
	got := contacts.DecodeMIUIContacts(m)
	if len(got) != 2 {
		t.Fatalf("%d contacts", len(got))
	}
	c := got[0].Contact
	if c.Name != "Zoë Müller" || c.Nickname != "Zo" || len(c.Phones) != 2 || c.Phones[0].Type != "mobile" || c.Phones[1].Type != "work" ||
		c.Emails[0] != "zoe@example.de" || c.Birthday != "1990-05-17" || c.Notes[0] != "met at the fair" || c.Organizations[0] != "Acme, CTO" ||
		c.Photos != 1 || !c.Starred || c.Deleted || got[0].Offset != 0 {
		t.Errorf("contact %+v", c)
	}
	if !got[1].Contact.Deleted || got[1].Contact.Name != "Gone" || got[1].Offset == 0 {
		t.Errorf("deleted contact %+v at %d", got[1].Contact, got[1].Offset)
	}
	// The call-log layout (top-level field 2 holding calls) is not contacts.
	calls := pb(nil).msg(2, pb(nil).msg(1, pb(nil).str(2, "1").str(3, "+123").varint(4, 1700000000000)))
	m, _ = protobuf.Parse(calls)
	if got := contacts.DecodeMIUIContacts(m); got != nil {
		t.Errorf("call log read as contacts: %+v", got)
	}
	if contacts.DecodeMIUIContacts(nil) != nil {
		t.Error("nil message")
	}
}

func FuzzDecodeMIUIContacts(f *testing.F) {
	f.Add(contactPayload())
	f.Add([]byte{0x0a, 0x02, 0x12, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := protobuf.ParseOptions(b, protobuf.Options{MaxDepth: 8, MaxFields: len(b)/2 + 16})
		if err != nil {
			return
		}
		contacts.DecodeMIUIContacts(m)
	})
}
