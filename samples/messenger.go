//go:build !js

package samples

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// appFile is one file of an app's private data: its domain-relative path
// inside a backup tar (e.g. "db/msgstore.db") and where it was generated.
type appFile struct {
	Rel   string
	Local string
	Size  int64
}

// writeMessengerFiles generates the messenger's databases and preferences
// into dir and returns them in tar order.
func (p *Phone) writeMessengerFiles(dir string) ([]appFile, error) {
	m := p.Messenger
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	msgstore := filepath.Join(dir, "msgstore.db")
	d, err := createDB(msgstore, 1, strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return nil, err
	}
	for _, s := range []string{
		"CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT)",
		"CREATE UNIQUE INDEX jid_key_index ON jid (user, server, agent, device)",
		"CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER UNIQUE, hidden INTEGER, subject TEXT, created_timestamp INTEGER, display_message_row_id INTEGER, last_message_row_id INTEGER, last_read_message_row_id INTEGER, archived INTEGER, sort_timestamp INTEGER, unseen_message_count INTEGER)",
		"CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER, broadcast INTEGER, recipient_count INTEGER, participant_hash TEXT, origination_flags INTEGER, origin INTEGER, timestamp INTEGER, received_timestamp INTEGER, receipt_server_timestamp INTEGER, message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER, sort_id INTEGER NOT NULL DEFAULT 0)",
		"CREATE INDEX message_sort_id_index ON message (chat_row_id, sort_id)",
		"CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT)",
	} {
		d.exec(s)
	}
	d.begin()
	jids := map[string]int{}
	addJID := func(raw string) int {
		if id, ok := jids[raw]; ok {
			return id
		}
		user, server, _ := strings.Cut(raw, "@")
		typ := 0
		if server == "g.us" {
			typ = 1
		}
		id := len(jids) + 1
		jids[raw] = id
		d.exec("INSERT INTO jid (_id,user,server,agent,device,type,raw_string) VALUES (?,?,?,0,0,?,?)", id, user, server, typ, raw)
		return id
	}
	for _, c := range m.Chats {
		jid := addJID(c.JID)
		var last int
		var sortTS int64
		for _, mm := range m.Messages {
			if mm.Chat == c {
				last, sortTS = mm.ID, mm.Time.UnixMilli()
			}
		}
		d.exec("INSERT INTO chat (_id,jid_row_id,hidden,subject,created_timestamp,display_message_row_id,last_message_row_id,last_read_message_row_id,archived,sort_timestamp,unseen_message_count) VALUES (?,?,0,?,?,?,?,?,0,?,0)",
			c.ID, jid, nullStr(c.Subject), p.BackupTime.AddDate(-1, -1, 0).UnixMilli(), last, last, last, sortTS)
	}
	ins := d.prepare("INSERT INTO message (_id,chat_row_id,from_me,key_id,sender_jid_row_id,status,broadcast,recipient_count,origination_flags,origin,timestamp,received_timestamp,receipt_server_timestamp,message_type,text_data,starred,lookup_tables,sort_id) VALUES (?,?,?,?,?,?,0,0,0,0,?,?,?,0,?,0,0,?)")
	for _, mm := range m.Messages {
		var sender any
		if mm.Chat.Subject != "" && !mm.FromMe {
			sender = addJID(strings.TrimPrefix(p.LiveContacts()[mm.ID%3].Phones[0].E164, "+") + "@s.whatsapp.net")
		}
		status := 0
		if mm.FromMe {
			status = 13
		}
		t := mm.Time.UnixMilli()
		ins.exec(mm.ID, mm.Chat.ID, boolInt(mm.FromMe), mm.KeyID, sender, status, t, t+850, t+400, mm.Text, mm.ID)
	}
	ins.close()
	d.exec("INSERT INTO props (key,value) VALUES ('fts_ready','5'),('schema_version','1')")
	if p.Hostile {
		d.exec(`CREATE TABLE "<img src=x onerror=alert(1)>" ("=cmd|' /C calc'!A0" TEXT, "<script>alert(1)</script>" TEXT, "javascript:alert(1)" INTEGER)`)
		d.exec(`INSERT INTO "<img src=x onerror=alert(1)>" VALUES ('=HYPERLINK("https://evil.example.invalid","click")', '<iframe src="https://evil.example.invalid"></iframe>', 1)`)
	}
	if err := d.close(); err != nil {
		return nil, err
	}
	wa := filepath.Join(dir, "wa.db")
	d, err = createDB(wa, 1, strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return nil, err
	}
	d.exec("CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL, status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER, phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER, given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT, status_autodownload_disabled INTEGER, keep_timestamp INTEGER, is_spam_reported INTEGER, is_sidelist_synced BOOLEAN DEFAULT 0, is_business_synced BOOLEAN DEFAULT 0, disappearing_mode_duration INTEGER, disappearing_mode_timestamp LONG, history_sync_initial_phash TEXT)")
	d.begin()
	for i, c := range p.LiveContacts() {
		if i >= 8 {
			break
		}
		jid := strings.TrimPrefix(c.Phones[0].E164, "+") + "@s.whatsapp.net"
		d.exec("INSERT INTO wa_contacts (jid,is_whatsapp_user,status,number,raw_contact_id,display_name,phone_type,given_name,family_name,wa_name,sort_name) VALUES (?,1,?,?,?,?,2,?,?,?,?)",
			jid, p.h(pick(NewRand(p.Seed, "wastatus"+jid), []string{"Hey there! I am using WhatsApp.", "Available", "🏖️", "Busy"}), i), c.Phones[0].Number, c.ID, c.Display, c.Given, c.Family, p.h(c.Given, i+1), c.Display)
	}
	if err := d.close(); err != nil {
		return nil, err
	}
	own := strings.TrimPrefix(p.SIMs[1].Number, "+")
	cc := p.SIMs[1].Country.CC
	prefs := "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n" +
		"    <string name=\"push_name\">" + xmlEsc(m.PushName) + "</string>\n" +
		"    <string name=\"cc\">" + cc + "</string>\n" +
		"    <string name=\"ph\">" + strings.TrimPrefix(own, cc) + "</string>\n" +
		"    <string name=\"my_current_status\">" + xmlEsc(p.h("Available", 5)) + "</string>\n" +
		fmt.Sprintf("    <long name=\"last_login_time\" value=\"%d\" />\n", p.BackupTime.Add(-36*3600e9).UnixMilli()) +
		"    <int name=\"version\" value=\"2\" />\n</map>\n"
	prefPath := filepath.Join(dir, "com.whatsapp_preferences_light.xml")
	if err := os.WriteFile(prefPath, []byte(prefs), 0o644); err != nil {
		return nil, err
	}
	var out []appFile
	for _, f := range [][2]string{{"db/msgstore.db", msgstore}, {"db/wa.db", wa}, {"sp/com.whatsapp_preferences_light.xml", prefPath}} {
		st, err := os.Stat(f[1])
		if err != nil {
			return nil, err
		}
		out = append(out, appFile{Rel: f[0], Local: f[1], Size: st.Size()})
	}
	return out, nil
}

// xmlEsc escapes text for XML element content and attribute values.
func xmlEsc(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (p *Phone) messengerTruth(files []appFile) TruthApp {
	t := TruthApp{Package: p.Messenger.Package, Messages: len(p.Messenger.Messages), Chats: len(p.Messenger.Chats)}
	for _, f := range files {
		t.Files = append(t.Files, f.Rel)
	}
	return t
}
