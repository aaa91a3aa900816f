package contacts

import (
	"errors"
	"io"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/protobuf"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/vcard"
)

// vcardFile reads .vcf files (artifacts.md §6.2).
type vcardFile struct{}

func (vcardFile) Name() string { return "contacts/vcard" }

func (vcardFile) Match(f *container.File) bool {
	if f.Format == container.FormatVCard {
		return true
	}
	// A .vcf that starts with something else (a note, a stray line).
	return strings.HasSuffix(strings.ToLower(f.Name), ".vcf") && f.Format == container.FormatText &&
		strings.Contains(strings.ToUpper(string(f.Head)), "BEGIN:VCARD")
}

func (vcardFile) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	rd := vcard.NewReader(r)
	n := 0
	full := false // the memory budget was reached (a problem says so)
	var add func(c *vcard.Card)
	add = func(c *vcard.Card) {
		if full {
			return
		}
		e := c.Entry()
		ct := report.Contact{
			Name:     e.Name.Display,
			Accounts: []report.Account{{Type: "vcard", Kind: "other"}},
			Birthday: e.Birthday(),
			Photos:   e.Photos,
			Source:   artifacts.SourceItem(f, "vcard", n),
			Notes:    e.Notes,
			Websites: e.Websites,
			Groups:   e.Categories,
		}
		n++
		if len(e.Nicknames) > 0 {
			ct.Nickname = e.Nicknames[0]
		}
		for _, p := range e.Phones {
			ct.Phones = append(ct.Phones, report.Phone{Number: p.Number, Type: PhoneType(p.Type, p.Label)})
		}
		for _, m := range e.Emails {
			ct.Emails = append(ct.Emails, m.Address)
		}
		for _, o := range e.Organizations {
			ct.Organizations = appendNonEmpty(ct.Organizations, joinNonEmpty(", ", o.Company, o.Department, o.Title))
		}
		for _, a := range e.Addresses {
			ct.Addresses = appendNonEmpty(ct.Addresses, a.Formatted)
		}
		for _, im := range e.IMs {
			ct.IMs = append(ct.IMs, IMProtocol(im.Protocol, im.Custom)+": "+im.Handle)
		}
		for _, s := range e.SIPs {
			ct.IMs = append(ct.IMs, "SIP: "+s)
		}
		if !ctx.AddContact(ct) {
			full = true
			return
		}
		for _, ch := range c.Children {
			add(ch)
		}
	}
	for {
		c, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		add(c)
		if full {
			return nil
		}
		for _, w := range c.Warnings {
			ctx.Problem(f, c.Offset, "vcard", "card at line %d: %s", c.Line, w)
		}
	}
	if n == 0 {
		ctx.Problem(f, -1, "vcard", "no BEGIN:VCARD found")
	}
	return nil
}

// miuiContacts reads the MIUI contacts backup payload: apps/
// com.android.contacts/miui_bak/_tmp_bak of the contacts feature (2),
// protobuf (formats.md §2.7, artifacts.md §2.10; unverified layout, decoded
// leniently). Payloads whose shape does not fit — the call log of feature
// 1, or an unknown future layout — are left to the payloads and call-log
// modules, which read the same file.
type miuiContacts struct{}

func (miuiContacts) Name() string { return "contacts/miui" }

func (miuiContacts) Match(f *container.File) bool {
	return f.Name == "_tmp_bak" && f.Package == "com.android.contacts"
}

// MaxPayload bounds the MIUI payload read into memory.
const MaxPayload = 256 << 20

func (miuiContacts) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxPayload+1))
	if err != nil {
		return err
	}
	if len(data) > MaxPayload {
		ctx.Problem(f, -1, "too-large", "MIUI contacts payload larger than %d bytes not decoded", MaxPayload)
		return nil
	}
	msg, err := protobuf.ParseOptions(data, protobuf.Options{MaxDepth: 8, MaxFields: len(data)/2 + 16})
	if err != nil {
		return nil // not protobuf: the payloads module shows it
	}
	contacts := DecodeMIUIContacts(msg)
	if contacts == nil {
		return nil // not the contacts layout (e.g. the call log)
	}
	for _, mc := range contacts {
		c := mc.Contact
		c.Accounts = []report.Account{{Type: "miui-backup", Kind: "other"}}
		c.Source = artifacts.SourceOffset(f, mc.Offset)
		if !ctx.AddContact(c) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return nil
}

// MIUIContact is one contact decoded from the MIUI payload.
type MIUIContact struct {
	Contact report.Contact
	Offset  int64 // byte offset of the contact's wrapper in the payload
}

// DecodeMIUIContacts maps a parsed MIUI contacts payload: top-level
// repeated field 1 = wrapper, wrapper field 2 = contact {2 luid, 4 deleted,
// 5 name {1 display name, 2 nickname}, 6 phone {1 number, 2 type}, 7 email
// {1 address}, 8 event {1 date, 2 type}, 9 im {1 handle}, 10 nickname {1},
// 11 note {1 text}, 12 organization {1 company, 2 title}, 13 photo, 14
// postal {1 formatted}, 15 website {1 url}, 16 group {1 title}, 18
// starred}. It returns nil when the top level does not have that shape.
func DecodeMIUIContacts(m *protobuf.Message) []MIUIContact {
	if m == nil || len(m.Fields) == 0 {
		return nil
	}
	var out []MIUIContact
	for i := range m.Fields {
		w := &m.Fields[i]
		if w.Number != 1 || w.Wire != protobuf.BytesType {
			return nil
		}
		wm := w.Message()
		if wm == nil {
			return nil
		}
		cf := wm.Get(2)
		if cf == nil {
			return nil
		}
		cm := cf.Message()
		if cm == nil || (cm.Get(5) == nil && cm.Get(6) == nil && cm.Get(7) == nil) {
			return nil
		}
		out = append(out, MIUIContact{Contact: decodeContact(cm), Offset: w.Offset})
	}
	return out
}

func sub(f *protobuf.Field) *protobuf.Message {
	if f == nil || f.Wire != protobuf.BytesType {
		return nil
	}
	return f.Message()
}

// first returns field 1 of sub-message f as text (or f's own text when it
// is not a message).
func first(f *protobuf.Field) string {
	if m := sub(f); m != nil {
		if s := m.String(1); s != "" {
			return strings.TrimSpace(s)
		}
	}
	return strings.TrimSpace(f.Text())
}

func decodeContact(cm *protobuf.Message) report.Contact {
	var c report.Contact
	if d, ok := cm.Int64(4); ok && d != 0 {
		c.Deleted = true
	}
	if s, ok := cm.Int64(18); ok && s != 0 {
		c.Starred = true
	}
	for _, f := range cm.All(5) {
		if n := sub(f); n != nil {
			if c.Name == "" {
				c.Name = strings.TrimSpace(n.String(1))
			}
			if c.Nickname == "" {
				c.Nickname = strings.TrimSpace(n.String(2))
			}
		}
	}
	for _, f := range cm.All(6) {
		p := sub(f)
		if p == nil {
			continue
		}
		num := strings.TrimSpace(p.String(1))
		if num == "" {
			continue
		}
		typ, _ := p.Int64(2)
		c.Phones = append(c.Phones, report.Phone{Number: num, Type: PhoneType(int(typ), p.String(3))})
	}
	for _, f := range cm.All(7) {
		c.Emails = appendNonEmpty(c.Emails, first(f))
	}
	for _, f := range cm.All(8) {
		if e := sub(f); e != nil {
			if t, _ := e.Int64(2); t == 3 && c.Birthday == "" {
				c.Birthday = strings.TrimSpace(e.String(1))
			}
		}
	}
	for _, f := range cm.All(9) {
		if h := first(f); h != "" {
			c.IMs = append(c.IMs, "IM: "+h)
		}
	}
	for _, f := range cm.All(10) {
		if c.Nickname == "" {
			c.Nickname = first(f)
		}
	}
	for _, f := range cm.All(11) {
		c.Notes = appendNonEmpty(c.Notes, first(f))
	}
	for _, f := range cm.All(12) {
		if o := sub(f); o != nil {
			c.Organizations = appendNonEmpty(c.Organizations, joinNonEmpty(", ", o.String(1), o.String(2)))
		}
	}
	c.Photos = len(cm.All(13))
	if len(cm.All(25)) > 0 {
		c.Photos++
	}
	for _, f := range cm.All(14) {
		c.Addresses = appendNonEmpty(c.Addresses, first(f))
	}
	for _, f := range cm.All(15) {
		c.Websites = appendNonEmpty(c.Websites, first(f))
	}
	for _, f := range cm.All(16) {
		c.Groups = appendNonEmpty(c.Groups, first(f))
	}
	return c
}
