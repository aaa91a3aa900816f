//go:build !js

package messages_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// makeDB writes an SQLite database with modernc.org/sqlite.
func makeDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func byBody(ms []report.Message) map[string]report.Message {
	out := map[string]report.Message{}
	for _, m := range ms {
		out[m.Body] = m
	}
	return out
}

// TestWhatsAppLegacy: the pre-2022 single-table schema.
func TestWhatsAppLegacy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "msgstore.db")
	makeDB(t, path,
		"CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_size INTEGER, media_name TEXT, latitude REAL, longitude REAL, remote_resource TEXT, received_timestamp INTEGER)",
		"INSERT INTO messages (key_remote_jid,key_from_me,key_id,status,data,timestamp) VALUES ('-1',0,'-1',-1,NULL,0)",
		"INSERT INTO messages (key_remote_jid,key_from_me,key_id,status,data,timestamp,latitude,longitude) VALUES ('441234567890@s.whatsapp.net',0,'A1',0,'hello www.example.com',1588858433593,0,0)",
		"INSERT INTO messages (key_remote_jid,key_from_me,key_id,status,data,timestamp) VALUES ('441234567890@s.whatsapp.net',1,'A2',13,'reply',1588858500000)",
		"INSERT INTO messages (key_remote_jid,key_from_me,key_id,status,data,timestamp,remote_resource,latitude,longitude) VALUES ('1203630@g.us',0,'A3',0,'in the group',1588858600000,'79161090193@s.whatsapp.net',55.75,37.61)",
		"INSERT INTO messages (key_remote_jid,key_from_me,key_id,status,data,timestamp,media_mime_type,media_size,media_name) VALUES ('1203630@g.us',1,'A4',13,'photo',1588858700000,'image/jpeg',12345,'IMG-1.jpg')",
	)
	rep := run(t, "", path)
	if len(rep.Messages) != 4 {
		t.Fatalf("%d messages: %+v", len(rep.Messages), rep.Messages)
	}
	got := byBody(rep.Messages)
	m := got["hello www.example.com"]
	if m.Kind != "chat" || m.App != "com.whatsapp" || m.Direction != report.DirIncoming || m.Address != "+441234567890" ||
		m.Time.String() != "2020-05-07T13:33:53.593Z" || len(m.Links) != 1 || m.Extra["location"] != "" || m.Source != "msgstore.db#messages:2" {
		t.Errorf("1:1 incoming: %+v", m)
	}
	if m := got["reply"]; m.Direction != report.DirOutgoing || m.Address != "+441234567890" {
		t.Errorf("1:1 outgoing: %+v", m)
	}
	if m := got["in the group"]; m.Address != "+79161090193" || m.Thread != "1203630@g.us" || m.Extra["location"] != "55.75,37.61" {
		t.Errorf("group incoming: %+v", m)
	}
	if m := got["photo"]; m.Address != "1203630@g.us" || len(m.Attachments) != 1 || m.Attachments[0].Size != 12345 || m.Attachments[0].ContentType != "image/jpeg" {
		t.Errorf("group outgoing: %+v", m)
	}
}

// TestGoogleMessages: a bugle_db with the AOSP Messaging layout.
func TestGoogleMessages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "databases")
	path := filepath.Join(dir, "bugle_db")
	if err := mkdir(dir); err != nil {
		t.Fatal(err)
	}
	makeDB(t, path,
		"CREATE TABLE conversations(_id INTEGER PRIMARY KEY AUTOINCREMENT, sms_thread_id INT DEFAULT(0), name TEXT, participant_normalized_destination TEXT, participant_count INT DEFAULT(0))",
		"CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, sender_id INT, sent_timestamp INT DEFAULT(0), received_timestamp INT DEFAULT(0), message_protocol INT DEFAULT(0), message_status INT DEFAULT(0), seen INT DEFAULT(0), read INT DEFAULT(0), mms_subject TEXT, self_id INT)",
		"CREATE TABLE parts(_id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INT, text TEXT, uri TEXT, content_type TEXT, timestamp INT, conversation_id INT, file_size_bytes INT DEFAULT(-1), local_cache_path TEXT)",
		"CREATE TABLE participants(_id INTEGER PRIMARY KEY AUTOINCREMENT, sub_id INT DEFAULT(-2), normalized_destination TEXT, send_destination TEXT, display_destination TEXT, full_name TEXT)",
		"CREATE TABLE conversation_participants(_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, participant_id INT)",
		"INSERT INTO participants VALUES (1, 1, '+79856417795', '+79856417795', '+7 985 641-77-95', NULL)",
		"INSERT INTO participants VALUES (2, -2, '+441234567890', '+441234567890', '+44 1234 567890', 'Samuel Vimes')",
		"INSERT INTO participants VALUES (3, -2, '+12025550124', '+12025550124', '+1 202-555-0124', 'Amelia Hughes')",
		"INSERT INTO conversations VALUES (1, 5, 'Samuel Vimes', '+441234567890', 1)",
		"INSERT INTO conversations VALUES (2, 6, 'Group', NULL, 2)",
		"INSERT INTO conversation_participants (conversation_id, participant_id) VALUES (1,2),(2,2),(2,3)",
		"INSERT INTO messages VALUES (1, 1, 2, 1588858430000, 1588858433593, 0, 100, 1, 1, NULL, 1)",
		"INSERT INTO messages VALUES (2, 1, 1, 1588858500000, 1588858500100, 0, 8, 1, 1, NULL, 1)",
		"INSERT INTO messages VALUES (3, 2, 1, 1588858600000, 0, 1, 2, 1, 1, 'Pics', 1)",
		"INSERT INTO messages VALUES (4, 2, 3, 1588858700000, 1588858701000, 3, 100, 0, 0, NULL, 1)",
		"INSERT INTO parts (message_id,text,content_type,timestamp,conversation_id) VALUES (1,'see https://bit.ly/x','text/plain',1588858433593,1)",
		"INSERT INTO parts (message_id,text,content_type,timestamp,conversation_id) VALUES (2,'failed one','text/plain',1588858500000,2)",
		"INSERT INTO parts (message_id,text,content_type,timestamp,conversation_id) VALUES (3,'group mms','text/plain',1588858600000,2)",
		"INSERT INTO parts (message_id,content_type,timestamp,conversation_id,file_size_bytes,local_cache_path) VALUES (3,'image/jpeg',1588858600000,2,2048,'/data/user/0/com.google.android.apps.messaging/cache/IMG_1.jpg')",
		"INSERT INTO parts (message_id,text,content_type,timestamp,conversation_id) VALUES (4,'rcs chat','text/plain',1588858701000,2)",
	)
	rep := run(t, "", path)
	if len(rep.Messages) != 4 {
		t.Fatalf("%d messages: %+v", len(rep.Messages), rep.Messages)
	}
	got := byBody(rep.Messages)
	m := got["see https://bit.ly/x"]
	if m.Kind != "sms" || m.App != "com.google.android.apps.messaging" || m.Direction != report.DirIncoming || m.Address != "+441234567890" ||
		m.Name != "Samuel Vimes" || m.Time.String() != "2020-05-07T13:33:53.593Z" || len(m.Links) != 1 || !m.Links[0].Shortener || m.Read == nil || !*m.Read {
		t.Errorf("incoming sms: %+v", m)
	}
	if m := got["failed one"]; m.Direction != report.DirFailed || m.Address != "+441234567890" {
		t.Errorf("failed sms: %+v", m)
	}
	m = got["group mms"]
	if m.Kind != "mms" || m.Direction != report.DirOutgoing || m.Subject != "Pics" || len(m.Addresses) != 2 || len(m.Attachments) != 1 ||
		m.Attachments[0].Size != 2048 || m.Attachments[0].Name != "IMG_1.jpg" || m.Extra["conversation"] != "Group" {
		t.Errorf("group mms: %+v", m)
	}
	if m := got["rcs chat"]; m.Kind != "chat" || m.Direction != report.DirIncoming || m.Address != "+12025550124" || m.Read == nil || *m.Read {
		t.Errorf("rcs: %+v", m)
	}
}

func mkdir(dir string) error { return os.MkdirAll(dir, 0o755) }

// TestMmssmsOddRows: unreassembled fragments in raw, a soft-deleted MIUI
// row, an SMS date stored in seconds, a vendor box code, a NULL address.
func TestMmssmsOddRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mmssms.db")
	makeDB(t, path,
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,date INTEGER,date_sent INTEGER DEFAULT 0,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,subject TEXT,body TEXT,sub_id INTEGER DEFAULT -1,deleted INTEGER DEFAULT 0,mx_status INTEGER DEFAULT 0,url_risky_type INTEGER DEFAULT 0,block_type INTEGER DEFAULT 0)",
		"CREATE TABLE raw (_id INTEGER PRIMARY KEY,date INTEGER,reference_number INTEGER,count INTEGER,sequence INTEGER,destination_port INTEGER,address TEXT,sub_id INTEGER DEFAULT -1, pdu TEXT,deleted INTEGER DEFAULT 0,message_body TEXT,display_originating_addr TEXT)",
		"INSERT INTO sms (_id,thread_id,address,date,type,body,deleted,mx_status,url_risky_type,block_type) VALUES (1,1,'+441234567890',1588858433593,1,'deleted but here',1,65537,2,140)",
		"INSERT INTO sms (_id,thread_id,address,date,type,body) VALUES (2,1,'+441234567890',1588858433,2,'seconds')",
		"INSERT INTO sms (_id,thread_id,address,date,type,body) VALUES (3,2,NULL,1588858433593,7,'vendor box')",
		"INSERT INTO raw (date,reference_number,count,sequence,address,pdu,message_body,display_originating_addr) VALUES (1588858433593,42,2,1,'+441234567890','0791','first half of a long text','+441234567890')",
		"INSERT INTO raw (date,reference_number,count,sequence,address,pdu) VALUES (1588858433593,42,2,2,'+441234567890','')",
	)
	rep := run(t, "", path)
	got := byBody(append(append([]report.Message{}, rep.Messages...), rep.Deleted.Messages...))
	if len(rep.Messages) != 3 || len(rep.Deleted.Messages) != 1 {
		t.Fatalf("%d live, %d deleted messages: %+v %+v", len(rep.Messages), len(rep.Deleted.Messages), rep.Messages, rep.Deleted.Messages)
	}
	m := got["deleted but here"]
	if !m.Deleted || m.Extra["mx_status"] != "65537 (cloud message incoming)" || m.Extra["url_risky_type"] != "2 (risky)" || m.Extra["block_type"] != "140 (keywords, risky URL)" {
		t.Errorf("MIUI row: %+v", m)
	}
	if m := got["seconds"]; m.Time.String() != "2020-05-07T13:33:53.000Z" || m.Extra["date_note"] != "stored in s, not ms" || m.Extra["date_raw"] != "1588858433" {
		t.Errorf("seconds: %+v", m)
	}
	if m := got["vendor box"]; m.Direction != report.DirOther || m.Extra["type"] != "7" || m.Address != "" {
		t.Errorf("vendor box: %+v", m)
	}
	m = got["first half of a long text"]
	if m.Direction != report.DirIncoming || m.Address != "+441234567890" || m.Extra["fragment"] != "part 1 of 2, reference 42 (not reassembled)" || m.Extra["pdu"] != "2 bytes (hex, not decoded)" || m.Source != "mmssms.db#raw:1" {
		t.Errorf("raw: %+v", m)
	}
}
