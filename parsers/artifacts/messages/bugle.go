package messages

import (
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func init() { artifacts.Register(bugle{}) }

// bugle reads Google Messages' bugle_db (artifacts.md §6.4): messages,
// parts, participants, conversations and conversation_participants (names
// from AOSP Messaging's DatabaseHelper, which Google Messages grew from).
// Google Messages keeps its own copy of SMS and MMS, which also sit in
// mmssms.db, and RCS chats, which do not. Direction follows the message
// status (1–9 outgoing, 100+ incoming) or, without it, the sender's sub_id
// (-2 marks a participant other than this phone).
type bugle struct{}

func (bugle) Name() string { return "messages/google-messages" }

const bugleApp = "com.google.android.apps.messaging"

func (bugle) MatchDB(f *container.File, db *sqlite.DB) bool {
	m, p := db.Table("messages"), db.Table("parts")
	return m != nil && p != nil && db.Table("participants") != nil &&
		m.ColumnIndex("conversation_id") >= 0 && m.ColumnIndex("sender_id") >= 0 && p.ColumnIndex("message_id") >= 0
}

type bugleParticipant struct {
	subID    int64
	hasSubID bool
	address  string
	name     string
}

type buglePart struct {
	id        int64
	ct, text  string
	size      int64
	hasSize   bool
	path      string
	timestamp int64
}

// otherThanSelf is ParticipantData.OTHER_THAN_SELF_SUB_ID.
const otherThanSelf = -2

// bugleStatus maps MessageData.BUGLE_STATUS_* to a direction.
func bugleStatus(s int64) string {
	switch {
	case s == 3:
		return report.DirDraft
	case s == 8 || s == 9:
		return report.DirFailed
	case s >= 1 && s <= 7:
		return report.DirOutgoing
	case s >= 100 && s < 200:
		return report.DirIncoming
	}
	return ""
}

func (bugle) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	parts := map[int64][]buglePart{}
	pt := db.Table("parts")
	pc := newCols(pt)
	rows := db.Rows(pt)
	for rows.Next() {
		row := rows.RowView()
		mid, ok := pc.int(row, "message_id")
		if !ok {
			continue
		}
		p := buglePart{id: pc.rowID(row), ct: strings.ToLower(pc.str(row, "content_type")), text: pc.str(row, "text"),
			path: firstNonEmpty(pc.str(row, "local_cache_path"), pc.str(row, "uri"))}
		p.size, p.hasSize = pc.int(row, "file_size_bytes")
		p.timestamp, _ = pc.int(row, "timestamp")
		parts[mid] = append(parts[mid], p)
	}
	for _, ps := range parts {
		sort.Slice(ps, func(i, j int) bool { return ps[i].id < ps[j].id })
	}

	people := map[int64]bugleParticipant{}
	pa := db.Table("participants")
	ac := newCols(pa)
	rows = db.Rows(pa)
	for rows.Next() {
		row := rows.RowView()
		p := bugleParticipant{address: firstNonEmpty(ac.str(row, "send_destination"), ac.str(row, "display_destination"), ac.str(row, "normalized_destination")),
			name: ac.str(row, "full_name")}
		p.subID, p.hasSubID = ac.int(row, "sub_id")
		p.hasSubID = p.hasSubID && !ac.val(row, "sub_id").IsNull()
		people[ac.rowID(row)] = p
	}

	// Conversation members other than this phone.
	members := map[int64][]string{}
	if cp := db.Table("conversation_participants"); cp != nil {
		c := newCols(cp)
		rows = db.Rows(cp)
		for rows.Next() {
			row := rows.RowView()
			conv, _ := c.int(row, "conversation_id")
			pid, _ := c.int(row, "participant_id")
			if p, ok := people[pid]; ok && p.hasSubID && p.subID == otherThanSelf && p.address != "" {
				members[conv] = append(members[conv], p.address)
			}
		}
	}
	convs := map[int64][2]string{} // name, single other participant
	if ct := db.Table("conversations"); ct != nil {
		c := newCols(ct)
		rows = db.Rows(ct)
		for rows.Next() {
			row := rows.RowView()
			convs[c.rowID(row)] = [2]string{c.str(row, "name"), c.str(row, "participant_normalized_destination")}
		}
	}

	mt := db.Table("messages")
	mc := newCols(mt)
	ctx.ReserveMessages(db, mt)
	rows = db.Rows(mt)
	for rows.Next() {
		row := rows.RowView()
		id := mc.rowID(row)
		conv, _ := mc.int(row, "conversation_id")
		sender, _ := mc.int(row, "sender_id")
		proto, _ := mc.int(row, "message_protocol")
		m := report.Message{
			App:     bugleApp,
			Subject: mc.str(row, "mms_subject"),
			Thread:  strconv.FormatInt(conv, 10),
			Source:  artifacts.SourceRow(f, mt.Name, id),
			Extra:   map[string]string{},
		}
		switch proto {
		case 0:
			m.Kind = "sms"
		case 1, 2:
			m.Kind = "mms"
		default:
			m.Kind = "chat"
			m.Extra["message_protocol"] = strconv.FormatInt(proto, 10) + " (RCS or another chat protocol; code not verified)"
		}
		status, hasStatus := mc.int(row, "message_status")
		if hasStatus {
			m.Direction = bugleStatus(status)
		}
		p, known := people[sender]
		if m.Direction == "" {
			switch {
			case known && p.hasSubID && p.subID == otherThanSelf:
				m.Direction = report.DirIncoming
			case known && p.hasSubID:
				m.Direction = report.DirOutgoing
			default:
				m.Direction = report.DirOther
			}
		}
		if hasStatus && status != 0 && status != 1 && status != 2 && status != 100 {
			m.Extra["message_status"] = strconv.FormatInt(status, 10)
		}
		// Counterpart: the sender of a received message, else the
		// conversation's other participant(s).
		others := members[conv]
		if len(others) > 1 {
			m.Addresses = append([]string(nil), others...)
		}
		if m.Direction == report.DirIncoming && known && p.address != "" {
			m.Address, m.Name = p.address, p.name
		} else if len(others) > 0 {
			m.Address = others[0]
		} else {
			m.Address = convs[conv][1]
		}
		if name := convs[conv][0]; name != "" && len(others) > 1 {
			m.Extra["conversation"] = name
		}
		var ts int64
		if m.Direction == report.DirIncoming {
			ts, _ = mc.int(row, "received_timestamp")
		}
		if ts == 0 {
			ts, _ = mc.int(row, "sent_timestamp")
		}
		if ts == 0 {
			ts, _ = mc.int(row, "received_timestamp")
		}
		var texts []string
		for _, pt := range parts[id] {
			if ts == 0 && pt.timestamp != 0 {
				ts = pt.timestamp
			}
			switch {
			case pt.ct == "text/plain" || pt.ct == "" && pt.text != "":
				if pt.text != "" {
					texts = append(texts, pt.text)
				}
			case pt.ct == "application/smil":
			default:
				a := report.Attachment{ContentType: pt.ct, Name: pathBase(pt.path), Path: pt.path}
				if pt.hasSize && pt.size >= 0 {
					a.Size = pt.size
				}
				m.Attachments = append(m.Attachments, a)
			}
		}
		m.Body = strings.Join(texts, "\n")
		m.Time = epochTime(ts, Millis, m.Extra, "timestamp")
		if sent, ok := mc.int(row, "sent_timestamp"); ok && sent > 0 && m.Direction == report.DirIncoming {
			m.SentTime = epochTime(sent, Millis, m.Extra, "sent_timestamp")
		}
		if rd, ok := mc.int(row, "read"); ok {
			b := rd != 0
			m.Read = &b
		}
		finish(&m)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
	}
	return rows.Err()
}
