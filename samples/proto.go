//go:build !js

package samples

import "google.golang.org/protobuf/encoding/protowire"

// pb builds protobuf wire-format messages without a schema.
type pb struct{ b []byte }

func (m *pb) str(num int, s string) *pb {
	if s == "" {
		return m
	}
	m.b = protowire.AppendTag(m.b, protowire.Number(num), protowire.BytesType)
	m.b = protowire.AppendString(m.b, s)
	return m
}

func (m *pb) bytes(num int, v []byte) *pb {
	m.b = protowire.AppendTag(m.b, protowire.Number(num), protowire.BytesType)
	m.b = protowire.AppendBytes(m.b, v)
	return m
}

func (m *pb) varint(num int, v int64) *pb {
	m.b = protowire.AppendTag(m.b, protowire.Number(num), protowire.VarintType)
	m.b = protowire.AppendVarint(m.b, uint64(v))
	return m
}

func (m *pb) boolean(num int, v bool) *pb {
	if !v {
		return m
	}
	return m.varint(num, 1)
}

func (m *pb) msg(num int, sub *pb) *pb { return m.bytes(num, sub.b) }

// contactsProto renders the MIUI contacts payload (formats.md §2.7,
// artifacts.md §2.10): repeated field 1 = wrapper, wrapper field 2 =
// contact {2 luid, 3 version, 5 name {1 display name, 4 sort key}, 6 phone
// {1 number, 2 type}, 7 email {1 address, 2 type}, 8 event {1 date, 2 type},
// 11 note {1 text}, 12 organization {1 company, 2 title}, 18 starred}.
// Sub-message fields of email/event/note/organization are our choice
// (not in a public source).
func contactsProto(cs []*Contact) []byte {
	top := &pb{}
	for _, c := range cs {
		ct := &pb{}
		ct.str(1, "")
		ct.str(2, itoa(c.ID))
		ct.varint(3, int64(2+c.ID%5))
		ct.msg(5, (&pb{}).str(1, c.Display).str(4, c.Display))
		for _, ph := range c.Phones {
			ct.msg(6, (&pb{}).str(1, ph.Number).varint(2, int64(ph.Type)))
		}
		for _, e := range c.Emails {
			ct.msg(7, (&pb{}).str(1, e).varint(2, 1))
		}
		if c.Birthday != "" {
			ct.msg(8, (&pb{}).str(1, c.Birthday).varint(2, 3))
		}
		if c.Note != "" {
			ct.msg(11, (&pb{}).str(1, c.Note))
		}
		if c.Org != "" {
			ct.msg(12, (&pb{}).str(1, c.Org).str(2, c.Title))
		}
		ct.boolean(18, c.Starred)
		top.msg(1, (&pb{}).msg(2, ct))
	}
	return top.b
}

// callLogProto renders the MIUI call-log payload: field 2 = container with
// repeated field 1 = call {2 luid, 3 number, 4 date ms, 5 duration s,
// 6 type, 7 new}.
func callLogProto(calls []*Call) []byte {
	box := &pb{}
	for _, c := range calls {
		call := &pb{}
		call.str(2, itoa(c.ID))
		call.str(3, c.Number)
		call.varint(4, c.Date.UnixMilli())
		call.varint(5, int64(c.Duration))
		call.varint(6, int64(c.Type))
		call.varint(7, int64(boolInt2(c.New)))
		box.msg(1, call)
	}
	return (&pb{}).msg(2, box).b
}

// smsProto renders our plausible MIUI SMS payload (the real format is not
// public): repeated field 1 = wrapper {1 = sms {2 luid, 3 type, 4 address,
// 5 subject, 6 body, 7 date ms, 8 read, 9 seen, 10 status, 11 date sent ms,
// 12 service center, 15 locked, 16 sim slot}}, following the legacy
// SmsProtos field numbers where they are known.
func (p *Phone) smsProto(ms []*Message) []byte {
	top := &pb{}
	for _, m := range ms {
		s := &pb{}
		s.str(2, itoa(m.ID))
		s.varint(3, int64(m.Box))
		s.str(4, m.Address)
		s.str(5, m.Subject)
		s.str(6, m.Body)
		s.varint(7, m.Date.UnixMilli())
		s.boolean(8, m.Read)
		s.boolean(9, m.Seen)
		s.varint(10, int64(m.Status))
		if m.Box == 1 {
			s.varint(11, m.DateSent.UnixMilli())
			s.str(12, p.sim(m.SubID).SMSC)
		}
		s.boolean(15, m.Locked)
		s.varint(16, int64(p.sim(m.SubID).Slot))
		top.msg(1, (&pb{}).msg(1, s))
	}
	return top.b
}

// mmsProto renders our plausible MIUI MMS payload: repeated field 1 =
// wrapper {2 = pdu {2 luid, 3 msg_box, 4 date s, 5 subject, 6 m_type,
// 7 read, 8 addr {1 address, 2 type, 3 charset}, 9 part {1 seq, 2 ct,
// 3 name, 4 text, 5 attachment path under miui_att, 6 cid, 7 cl, 8 charset}}}.
func (p *Phone) mmsProto(ms []*Message, attPath func(*Message, *Part) string) []byte {
	top := &pb{}
	for _, m := range ms {
		d := &pb{}
		d.str(2, itoa(m.ID))
		d.varint(3, int64(m.Box))
		d.varint(4, m.Date.Unix())
		d.str(5, m.Subject)
		mt := int64(128)
		if m.Box == 1 {
			mt = 132
		}
		d.varint(6, mt)
		d.boolean(7, m.Read)
		d.msg(8, (&pb{}).str(1, m.From).varint(2, 137).varint(3, 106))
		for _, to := range m.To {
			if to == "insert-address-token" {
				to = p.sim(m.SubID).Number
			}
			d.msg(8, (&pb{}).str(1, to).varint(2, 151).varint(3, 106))
		}
		for _, pt := range m.Parts {
			q := (&pb{}).varint(1, int64(pt.Seq)).str(2, pt.CT).str(3, pt.Name)
			if isAttachment(pt) {
				q.str(5, attPath(m, pt))
			} else {
				q.str(4, pt.Text)
			}
			q.str(6, pt.CID).str(7, pt.CL)
			if pt.Chset != 0 {
				q.varint(8, int64(pt.Chset))
			}
			d.msg(9, q)
		}
		top.msg(1, (&pb{}).msg(2, d))
	}
	return top.b
}
