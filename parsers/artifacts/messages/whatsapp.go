package messages

import (
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func init() {
	artifacts.Register(whatsApp{})
	artifacts.Register(whatsAppNames{})
}

// whatsApp reads WhatsApp's msgstore.db (artifacts.md §6.3): the current
// schema (message, chat, jid, message_media, message_location) and the
// legacy one (a single messages table). Messages become kind "chat" with
// App set to the app's package. Identities are JIDs; a user JID
// <digits>@s.whatsapp.net is shown as the number +<digits>.
type whatsApp struct{}

func (whatsApp) Name() string { return "messages/whatsapp" }

func waCurrent(db *sqlite.DB) *sqlite.Table {
	t := db.Table("message")
	if t != nil && t.ColumnIndex("chat_row_id") >= 0 && t.ColumnIndex("from_me") >= 0 && t.ColumnIndex("key_id") >= 0 && db.Table("chat") != nil {
		return t
	}
	return nil
}

func waLegacy(db *sqlite.DB) *sqlite.Table {
	t := db.Table("messages")
	if t != nil && t.ColumnIndex("key_remote_jid") >= 0 && t.ColumnIndex("key_from_me") >= 0 {
		return t
	}
	return nil
}

func (whatsApp) MatchDB(f *container.File, db *sqlite.DB) bool {
	return waCurrent(db) != nil || waLegacy(db) != nil
}

// waApp names the package: from the backup path, else WhatsApp.
func waApp(f *container.File) string {
	switch {
	case f.Package != "":
		return f.Package
	case strings.Contains(f.Path, "com.whatsapp.w4b"):
		return "com.whatsapp.w4b"
	}
	return "com.whatsapp"
}

// JIDAddress turns a WhatsApp JID into an address: "+<digits>" for a user
// on s.whatsapp.net (or the legacy c.us), the JID itself otherwise.
func JIDAddress(jid string) string {
	user, server, ok := strings.Cut(jid, "@")
	if !ok || user == "" {
		return jid
	}
	if server == "s.whatsapp.net" || server == "c.us" {
		if i := strings.IndexAny(user, ":."); i > 0 { // device suffix user:12@ or user.0:1@
			user = user[:i]
		}
		for _, c := range user {
			if c < '0' || c > '9' {
				return jid
			}
		}
		return "+" + user
	}
	return jid
}

func isGroupJID(jid string) bool { return strings.HasSuffix(jid, "@g.us") }

// waMessageTypes: message_type (ALEAPP's list; others exist).
var waMessageTypes = map[int64]string{0: "text", 1: "image", 2: "audio", 3: "video", 4: "contact card", 5: "location", 7: "system",
	8: "call", 9: "document", 13: "GIF", 15: "deleted", 16: "live location", 20: "sticker"}

func (whatsApp) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	if t := waCurrent(db); t != nil {
		return waExtractCurrent(ctx, f, db, t)
	}
	return waExtractLegacy(ctx, f, db, waLegacy(db))
}

type waChat struct {
	jid, subject string
}

func waExtractCurrent(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table) error {
	app := waApp(f)
	jids := map[int64]string{}
	if jt := db.Table("jid"); jt != nil {
		c := newCols(jt)
		rows := db.Rows(jt)
		for rows.Next() {
			row := rows.RowView()
			raw := c.str(row, "raw_string")
			if raw == "" {
				if u, s := c.str(row, "user"), c.str(row, "server"); s != "" {
					raw = u + "@" + s
				}
			}
			jids[c.rowID(row)] = raw
		}
	}
	chats := map[int64]waChat{}
	if ct := db.Table("chat"); ct != nil {
		c := newCols(ct)
		rows := db.Rows(ct)
		for rows.Next() {
			row := rows.RowView()
			jid, _ := c.int(row, "jid_row_id")
			chats[c.rowID(row)] = waChat{jid: jids[jid], subject: c.str(row, "subject")}
		}
	}
	media := waMedia(db)
	locations := waLocations(db)
	c := newCols(t)
	ctx.ReserveMessages(db, t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		id := c.rowID(row)
		chatID, _ := c.int(row, "chat_row_id")
		chat := chats[chatID]
		fromMe, _ := c.int(row, "from_me")
		typ, _ := c.int(row, "message_type")
		m := report.Message{
			Kind:   "chat",
			App:    app,
			Body:   c.str(row, "text_data"),
			Thread: chat.jid,
			Source: artifacts.SourceRow(f, t.Name, id),
			Extra:  map[string]string{},
		}
		m.Direction = report.DirIncoming
		if fromMe != 0 {
			m.Direction = report.DirOutgoing
		}
		if typ == 7 {
			m.Direction = report.DirOther
		}
		ts, _ := c.int(row, "timestamp")
		m.Time = epochTime(ts, Millis, m.Extra, "timestamp")
		if rt, ok := c.int(row, "received_timestamp"); ok && rt > 0 && fromMe == 0 {
			// For a received message, timestamp is the sender's clock and
			// received_timestamp this phone's.
			m.Extra["received_timestamp"] = report.UnixMilli(rt).String()
		}
		m.Address = JIDAddress(chat.jid)
		if isGroupJID(chat.jid) {
			m.Extra["group"] = chat.subject
			if fromMe == 0 {
				if s, ok := c.int(row, "sender_jid_row_id"); ok && jids[s] != "" {
					m.Address = JIDAddress(jids[s])
				}
			}
		}
		if typ != 0 {
			m.Extra["message_type"] = labelled(typ, waMessageTypes[typ])
		}
		if st, ok := c.int(row, "starred"); ok && st != 0 {
			m.Extra["starred"] = "1"
		}
		if a, ok := media[id]; ok {
			m.Attachments = append(m.Attachments, a)
		}
		if loc, ok := locations[id]; ok {
			m.Extra["location"] = loc
		}
		finish(&m)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
		waNamesWanted(ctx).add(len(ctx.Report.Messages)-1, m.Thread)
	}
	return rows.Err()
}

func labelled(v int64, label string) string {
	s := strconv.FormatInt(v, 10)
	if label != "" {
		s += " (" + label + ")"
	}
	return s
}

// waMedia reads message_media: file path, size and MIME type per message.
func waMedia(db *sqlite.DB) map[int64]report.Attachment {
	t := db.Table("message_media")
	if t == nil || t.ColumnIndex("message_row_id") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64]report.Attachment{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		id, _ := c.int(row, "message_row_id")
		a := report.Attachment{ContentType: c.str(row, "mime_type"), Path: c.str(row, "file_path")}
		a.Name = firstNonEmpty(c.str(row, "media_name"), pathBase(a.Path))
		a.Size, _ = c.int(row, "file_size")
		out[id] = a
	}
	return out
}

func pathBase(p string) string {
	if i := strings.LastIndexAny(p, "/\\"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// waLocations reads message_location: "latitude,longitude" per message.
func waLocations(db *sqlite.DB) map[int64]string {
	t := db.Table("message_location")
	if t == nil || t.ColumnIndex("message_row_id") < 0 {
		return nil
	}
	c := newCols(t)
	out := map[int64]string{}
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		id, _ := c.int(row, "message_row_id")
		lat, lon := valueText(c.val(row, "latitude")), valueText(c.val(row, "longitude"))
		if lat != "" && lon != "" {
			out[id] = lat + "," + lon
		}
	}
	return out
}

func waExtractLegacy(ctx *artifacts.Context, f *container.File, db *sqlite.DB, t *sqlite.Table) error {
	app := waApp(f)
	c := newCols(t)
	ctx.ReserveMessages(db, t)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		jid := c.str(row, "key_remote_jid")
		if jid == "-1" { // the app's own bookkeeping row
			continue
		}
		fromMe, _ := c.int(row, "key_from_me")
		m := report.Message{
			Kind:   "chat",
			App:    app,
			Body:   c.str(row, "data"),
			Thread: jid,
			Source: artifacts.SourceRow(f, t.Name, c.rowID(row)),
			Extra:  map[string]string{},
		}
		m.Direction = report.DirIncoming
		if fromMe != 0 {
			m.Direction = report.DirOutgoing
		}
		ts, _ := c.int(row, "timestamp")
		m.Time = epochTime(ts, Millis, m.Extra, "timestamp")
		m.Address = JIDAddress(jid)
		if isGroupJID(jid) && fromMe == 0 {
			if r := c.str(row, "remote_resource"); r != "" {
				m.Address = JIDAddress(r)
			}
		}
		if mime := c.str(row, "media_mime_type"); mime != "" {
			a := report.Attachment{ContentType: mime, Name: c.str(row, "media_name")}
			a.Size, _ = c.int(row, "media_size")
			m.Attachments = append(m.Attachments, a)
		}
		lat, lon := c.val(row, "latitude"), c.val(row, "longitude")
		if la, ok := lat.AsInt64(); !(ok && la == 0) && !lat.IsNull() && !lon.IsNull() {
			if lo, ok := lon.AsInt64(); !(ok && lo == 0) {
				m.Extra["location"] = valueText(lat) + "," + valueText(lon)
			}
		}
		finish(&m)
		if !ctx.AddMessage(m) {
			return nil // memory budget reached (a problem says so)
		}
		waNamesWanted(ctx).add(len(ctx.Report.Messages)-1, m.Thread)
	}
	return rows.Err()
}

// whatsAppNames reads wa.db's wa_contacts (jid → display name) and, once
// everything was read, names the counterparts of WhatsApp messages.
type whatsAppNames struct{}

func (whatsAppNames) Name() string { return "messages/whatsapp-names" }

func (whatsAppNames) MatchDB(f *container.File, db *sqlite.DB) bool {
	t := db.Table("wa_contacts")
	return t != nil && t.ColumnIndex("jid") >= 0
}

type waNames struct {
	names map[string]string // jid → name
	msgs  []waMsgRef
}

type waMsgRef struct {
	index int
	jid   string
}

func (w *waNames) add(i int, jid string) {
	if jid != "" {
		w.msgs = append(w.msgs, waMsgRef{i, jid})
	}
}

func waNamesWanted(ctx *artifacts.Context) *waNames {
	return ctx.State("messages/whatsapp-names", func() any { return &waNames{names: map[string]string{}} }).(*waNames)
}

func (whatsAppNames) ExtractDB(ctx *artifacts.Context, f *container.File, db *sqlite.DB) error {
	t := db.Table("wa_contacts")
	c := newCols(t)
	w := waNamesWanted(ctx)
	rows := db.Rows(t)
	for rows.Next() {
		row := rows.RowView()
		jid := c.str(row, "jid")
		name := firstNonEmpty(c.str(row, "display_name"), c.str(row, "wa_name"))
		if jid != "" && name != "" {
			if _, dup := w.names[jid]; !dup {
				w.names[jid] = name
			}
		}
	}
	return rows.Err()
}

// Finish names WhatsApp chats after every database was read.
func (whatsAppNames) Finish(ctx *artifacts.Context) error {
	w := waNamesWanted(ctx)
	for _, ref := range w.msgs {
		if ref.index >= len(ctx.Report.Messages) {
			continue
		}
		m := &ctx.Report.Messages[ref.index]
		if m.Name == "" && m.Thread == ref.jid {
			m.Name = w.names[ref.jid]
		}
	}
	return nil
}
