//go:build !js

package samples

import (
	"fmt"
	"strings"
	"time"
)

// mmssmsOpts selects the flavour of mmssms.db.
type mmssmsOpts struct {
	MIUI     bool   // add MIUI extension columns (Xiaomi phones)
	WAL      bool   // leave the newest messages in an uncheckpointed -wal
	PartsDir string // directory of MMS part files on the device
	SDK      int
}

// mmssmsSchema returns the CREATE statements (AOSP layout; MIUI columns
// appended at the end of sms, pdu and threads when miui is set).
func mmssmsSchema(o mmssmsOpts) []string {
	a14 := o.SDK >= 34
	sub := func() string {
		if a14 {
			return ",sub_id INTEGER DEFAULT -1"
		}
		return ""
	}
	smsMIUI, pduMIUI, thrMIUI := "", "", ""
	if o.MIUI {
		smsMIUI = ",sim_id INTEGER DEFAULT 0,timed INTEGER DEFAULT 0,deleted INTEGER DEFAULT 0,sync_state INTEGER DEFAULT 0,marker INTEGER DEFAULT 0,source TEXT,bind_id INTEGER DEFAULT 0,mx_status INTEGER DEFAULT 0,mx_id INTEGER,out_time INTEGER DEFAULT 0,account TEXT,advanced_seen INTEGER DEFAULT 0,b2c_ttl INTEGER DEFAULT 0,b2c_numbers TEXT,fake_cell_type INTEGER DEFAULT 0,url_risky_type INTEGER DEFAULT 0,favorite_date INTEGER DEFAULT 0,block_type INTEGER DEFAULT 0"
		pduMIUI = ",sim_id INTEGER DEFAULT 0,timed INTEGER DEFAULT 0,deleted INTEGER DEFAULT 0,sync_state INTEGER DEFAULT 0,marker INTEGER DEFAULT 0,source TEXT,bind_id INTEGER DEFAULT 0,mx_status INTEGER DEFAULT 0,mx_id INTEGER,mx_type INTEGER DEFAULT 0,out_time INTEGER DEFAULT 0,account TEXT,need_download INTEGER DEFAULT 0,preview_type INTEGER DEFAULT 0,preview_data BLOB,preview_data_ts INTEGER DEFAULT 0,date_ms_part INTEGER DEFAULT 0,file_id TEXT,block_type INTEGER DEFAULT 0,advanced_seen INTEGER DEFAULT 0,favorite_date INTEGER DEFAULT 0"
		thrMIUI = ",has_draft INTEGER DEFAULT 0,last_sim_id INTEGER DEFAULT 0,unread_count INTEGER DEFAULT 0,stick_time INTEGER DEFAULT 0,mx_seq TEXT,sp_type INTEGER DEFAULT 0,private_addr_ids TEXT,rms_type INTEGER DEFAULT 0,sync_state INTEGER DEFAULT 0,marker INTEGER DEFAULT 0"
	}
	return []string{
		"CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT,thread_id INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,msg_box INTEGER,read INTEGER DEFAULT 0,m_id TEXT,sub TEXT,sub_cs INTEGER,ct_t TEXT,ct_l TEXT,exp INTEGER,m_cls TEXT,m_type INTEGER,v INTEGER,m_size INTEGER,pri INTEGER,rr INTEGER,rpt_a INTEGER,resp_st INTEGER,st INTEGER,tr_id TEXT,retr_st INTEGER,retr_txt TEXT,retr_txt_cs INTEGER,read_status INTEGER,ct_cls INTEGER,resp_txt TEXT,d_tm INTEGER,d_rpt INTEGER,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1,seen INTEGER DEFAULT 0,creator TEXT,text_only INTEGER DEFAULT 0" + pduMIUI + ")",
		"CREATE TABLE addr (_id INTEGER PRIMARY KEY,msg_id INTEGER,contact_id INTEGER,address TEXT,type INTEGER,charset INTEGER" + sub() + ")",
		"CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT,mid INTEGER,seq INTEGER DEFAULT 0,ct TEXT,name TEXT,chset INTEGER,cd TEXT,fn TEXT,cid TEXT,cl TEXT,ctt_s INTEGER,ctt_t TEXT,_data TEXT,text TEXT" + sub() + ")",
		"CREATE TABLE rate (sent_time INTEGER" + sub() + ")",
		"CREATE TABLE drm (_id INTEGER PRIMARY KEY,_data TEXT" + sub() + ")",
		"CREATE VIEW pdu_restricted AS SELECT * FROM pdu WHERE (msg_box=1 OR msg_box=2) AND (m_type!=130)",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT -1, creator TEXT,seen INTEGER DEFAULT 0" + smsMIUI + ")",
		"CREATE TABLE raw (_id INTEGER PRIMARY KEY,date INTEGER,reference_number INTEGER,count INTEGER,sequence INTEGER,destination_port INTEGER,address TEXT,sub_id INTEGER DEFAULT -1, pdu TEXT,deleted INTEGER DEFAULT 0,message_body TEXT,display_originating_addr TEXT)",
		"CREATE TABLE attachments (sms_id INTEGER,content_url TEXT,offset INTEGER" + sub() + ")",
		"CREATE TABLE sr_pending (reference_number INTEGER,action TEXT,data TEXT" + sub() + ")",
		"CREATE VIEW sms_restricted AS SELECT * FROM sms WHERE type=1 OR type=2",
		"CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT,address TEXT" + sub() + ")",
		"CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT,date INTEGER DEFAULT 0,message_count INTEGER DEFAULT 0,recipient_ids TEXT,snippet TEXT,snippet_cs INTEGER DEFAULT 0,read INTEGER DEFAULT 1,archived INTEGER DEFAULT 0,type INTEGER DEFAULT 0,error INTEGER DEFAULT 0,has_attachment INTEGER DEFAULT 0" + sub() + thrMIUI + ")",
		"CREATE TABLE pending_msgs (_id INTEGER PRIMARY KEY,proto_type INTEGER,msg_id INTEGER,msg_type INTEGER,err_type INTEGER,err_code INTEGER,retry_index INTEGER NOT NULL DEFAULT 0,due_time INTEGER,sub_id INTEGER DEFAULT -1, last_try INTEGER)",
		"CREATE TRIGGER part_cleanup DELETE ON pdu BEGIN  DELETE FROM part  WHERE mid=old._id;END",
		"CREATE TRIGGER addr_cleanup DELETE ON pdu BEGIN  DELETE FROM addr  WHERE msg_id=old._id;END",
		"CREATE INDEX typeThreadIdIndex ON sms (type, thread_id)",
		"CREATE INDEX threadIdDateIndex ON sms (thread_id, date)",
		"CREATE INDEX partMidIndex ON part (mid)",
		"CREATE INDEX addrMsgIdIndex ON addr (msg_id)",
	}
}

// threadState is the derived row of the threads table.
type threadState struct {
	date      int64
	count     int
	snippet   string
	snippetCS int
	read      int
	errFlag   int
	attach    int
	unread    int
	hasDraft  int
}

func threadStates(ms []*Message, keep func(*Message) bool) map[int]*threadState {
	st := map[int]*threadState{}
	for _, m := range ms {
		if !keep(m) {
			continue
		}
		s := st[m.Thread.ID]
		if s == nil {
			s = &threadState{read: 1}
			st[m.Thread.ID] = s
		}
		d := m.Date.UnixMilli()
		if d >= s.date {
			s.date = d
			if m.Kind == KindSMS {
				s.snippet, s.snippetCS = m.Body, 0
			} else {
				s.snippet, s.snippetCS = m.Subject, 106
			}
		}
		if m.Box != 3 {
			s.count++
		} else {
			s.hasDraft = 1
		}
		if m.Box == 1 && !m.Read {
			s.read = 0
			s.unread++
		}
		if m.Box == 5 {
			s.errFlag = 1
		}
		for _, p := range m.Parts {
			if isAttachment(p) {
				s.attach = 1
			}
		}
	}
	return st
}

// writeMmssms writes mmssms.db (and, with o.WAL, mmssms.db-wal) to path.
// inWAL selects the messages that exist only in the WAL.
func writeMmssms(p *Phone, tmpDir, path string, o mmssmsOpts, inWAL func(*Message) bool) error {
	locale := strings.ReplaceAll(p.Device.Locale, "-", "_")
	ver := 67
	if o.SDK >= 34 {
		ver = 69
	}
	work := path
	if o.WAL {
		work = tmpDir + "/mmssms-work.db"
	}
	d, err := createDB(work, ver, locale)
	if err != nil {
		return err
	}
	for _, s := range mmssmsSchema(o) {
		d.exec(s)
	}
	createWordsFTS3(d)

	// canonical addresses in thread order
	canon := map[string]int{}
	var canonList []string
	for _, t := range p.Threads {
		for _, a := range t.Recipients {
			if _, ok := canon[a]; !ok {
				canonList = append(canonList, a)
				canon[a] = len(canonList)
			}
		}
	}
	stage1 := func(m *Message) bool { return inWAL == nil || !inWAL(m) }
	d.begin()
	ins := d.prepare("INSERT INTO canonical_addresses (_id, address) VALUES (?,?)")
	for i, a := range canonList {
		ins.exec(i+1, a)
	}
	ins.close()
	p.insertThreads(d, o, canon, threadStates(p.Messages, func(m *Message) bool { return stage1(m) && (!m.Removed) }), false)
	p.insertMessages(d, o, stage1)
	d.commit()
	if p.Deleted {
		p.deleteRemoved(d, stage1)
	}
	if !o.WAL {
		return d.close()
	}
	d.exec("PRAGMA journal_mode=WAL")
	d.exec("PRAGMA wal_autocheckpoint=0")
	d.begin()
	stage2 := func(m *Message) bool { return inWAL(m) }
	p.insertMessages(d, o, stage2)
	p.insertThreads(d, o, canon, threadStates(p.Messages, func(m *Message) bool { return !m.Removed }), true)
	d.commit()
	r := NewRand(p.Seed, "walsalt")
	if err := d.snapshotWAL(path, path+"-wal", uint32(r.Uint64()), uint32(r.Uint64())); err != nil {
		d.close()
		return err
	}
	return d.close()
}

func (p *Phone) insertThreads(d *sqliteDB, o mmssmsOpts, canon map[string]int, st map[int]*threadState, replace bool) {
	cols := "_id,date,message_count,recipient_ids,snippet,snippet_cs,read,archived,type,error,has_attachment"
	q := "?,?,?,?,?,?,?,0,0,?,?"
	if o.MIUI {
		cols += ",has_draft,last_sim_id,unread_count,stick_time"
		q += ",?,?,?,?"
	}
	verb := "INSERT"
	if replace {
		verb = "INSERT OR REPLACE"
	}
	ins := d.prepare(verb + " INTO threads (" + cols + ") VALUES (" + q + ")")
	defer ins.close()
	for _, t := range p.Threads {
		s := st[t.ID]
		if s == nil {
			s = &threadState{read: 1}
		}
		ids := make([]string, len(t.Recipients))
		for i, a := range t.Recipients {
			ids[i] = itoa(canon[a])
		}
		args := []any{t.ID, s.date, s.count, strings.Join(ids, " "), nullStr(s.snippet), s.snippetCS, s.read, s.errFlag, s.attach}
		if o.MIUI {
			stick := 0
			if t.ID == 1 {
				stick = int(p.BackupTime.Add(-72 * time.Hour).UnixMilli())
			}
			args = append(args, s.hasDraft, 0, s.unread, stick)
		}
		ins.exec(args...)
	}
}

func (p *Phone) insertMessages(d *sqliteDB, o mmssmsOpts, keep func(*Message) bool) {
	smsCols := "_id,thread_id,address,person,date,date_sent,protocol,read,status,type,reply_path_present,subject,body,service_center,locked,sub_id,error_code,creator,seen"
	smsQ := strings.Repeat("?,", 18) + "?"
	if o.MIUI {
		smsCols += ",sim_id,mx_status,favorite_date,block_type,advanced_seen,sync_state"
		smsQ += ",?,?,?,?,?,?"
	}
	sms := d.prepare("INSERT INTO sms (" + smsCols + ") VALUES (" + smsQ + ")")
	defer sms.close()
	words := d.prepare("INSERT INTO words_content (c0_id, c1index_text, c2source_id, c3table_to_use) VALUES (?,?,?,?)")
	defer words.close()
	pduCols := "_id,thread_id,date,date_sent,msg_box,read,m_id,sub,sub_cs,ct_t,ct_l,exp,m_cls,m_type,v,m_size,pri,rr,rpt_a,resp_st,st,tr_id,retr_st,d_rpt,locked,sub_id,seen,creator,text_only"
	pduQ := strings.Repeat("?,", 28) + "?"
	if o.MIUI {
		pduCols += ",sim_id,preview_type,date_ms_part"
		pduQ += ",?,?,?"
	}
	pdu := d.prepare("INSERT INTO pdu (" + pduCols + ") VALUES (" + pduQ + ")")
	defer pdu.close()
	addr := d.prepare("INSERT INTO addr (msg_id,contact_id,address,type,charset) VALUES (?,?,?,?,?)")
	defer addr.close()
	part := d.prepare("INSERT INTO part (_id,mid,seq,ct,name,chset,cd,fn,cid,cl,ctt_s,ctt_t,_data,text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	defer part.close()
	creator := "com.android.mms"
	for _, m := range p.Messages {
		if !keep(m) {
			continue
		}
		sim := p.sim(m.SubID)
		if m.Kind == KindSMS {
			var sc any
			var sent int64
			if m.Box == 1 {
				sc = sim.SMSC
				sent = m.DateSent.UnixMilli()
			}
			var person any
			var reply any = 0
			args := []any{m.ID, m.Thread.ID, m.Address, person, m.Date.UnixMilli(), sent, 0, boolInt(m.Read), m.Status, m.Box, reply,
				nil, m.Body, sc, boolInt(m.Locked), m.SubID, errCode(m), creator, boolInt(m.Seen)}
			if m.Box == 1 {
				args[6] = 0
			} else {
				args[6] = nil
				args[10] = nil
			}
			if o.MIUI {
				adv := 3
				if !m.Seen {
					adv = 0
				}
				args = append(args, sim.Slot, m.MxStatus, m.FavoriteDate, m.BlockType, adv, 0)
			}
			sms.exec(args...)
			words.exec(m.ID, m.Body, m.ID, 1)
			continue
		}
		// MMS
		mtype, ctl, exp, respSt := 128, any(nil), any(nil), any(128)
		if m.Box == 1 {
			mtype, ctl, exp, respSt = 132, "http://mmsc.example.invalid/"+m.TrID, 604800, nil
		}
		var size int64
		textOnly := 1
		for _, pt := range m.Parts {
			size += int64(len(pt.Text)) + pt.size()
			if isAttachment(pt) {
				textOnly = 0
			}
		}
		var sub, subCS any
		if m.Subject != "" {
			sub, subCS = m.Subject, 106
		}
		args := []any{m.ID, m.Thread.ID, m.Date.Unix(), m.DateSent.Unix(), m.Box, boolInt(m.Read), m.MID, sub, subCS,
			"application/vnd.wap.multipart.related", ctl, exp, "personal", mtype, 18, size, 129, 129, 129, respSt, nil, m.TrID, nil, 129,
			boolInt(m.Locked), m.SubID, boolInt(m.Seen), creator, textOnly}
		if m.Box != 1 {
			args[3] = 0
		}
		if o.MIUI {
			pt := 1
			if textOnly == 0 {
				pt = 2
			}
			args = append(args, sim.Slot, pt, m.Date.UnixMilli()%1000)
		}
		pdu.exec(args...)
		own := sim.Number
		from := m.From
		addr.exec(m.ID, nil, from, 137, 106)
		for _, to := range m.To {
			if to == "insert-address-token" {
				to = own
			}
			addr.exec(m.ID, nil, to, 151, 106)
		}
		for _, pt := range m.Parts {
			pid := p.partID(m, pt)
			var data, text, chset any
			if isAttachment(pt) {
				data = o.PartsDir + "/" + partFile(m, pt)
			} else {
				text = pt.Text
				if pt.CT == "text/plain" {
					chset = 106
				}
			}
			part.exec(pid, m.ID, pt.Seq, pt.CT, pt.Name, chset, nil, nil, pt.CID, pt.CL, nil, nil, data, text)
			if pt.CT == "text/plain" {
				words.exec(int64(2)<<32+int64(pid), pt.Text, pid, 2)
			}
		}
	}
}

func errCode(m *Message) int {
	if m.Box == 5 {
		return m.Error
	}
	if m.Box == 1 {
		return 0
	}
	return -1
}

// partID numbers MMS parts globally in message order.
func (p *Phone) partID(m *Message, pt *Part) int {
	n := 0
	for _, x := range p.Messages {
		if x.Kind != KindMMS {
			continue
		}
		for _, y := range x.Parts {
			n++
			if x == m && y == pt {
				return n
			}
		}
	}
	return n
}

// partFile is the file name of an attachment under app_parts.
func partFile(m *Message, pt *Part) string {
	return fmt.Sprintf("PART_%d_%s", m.Date.UnixMilli()+int64(pt.Seq)+17, pt.FileName)
}

func (p *Phone) sim(subID int) *SIM {
	for _, s := range p.SIMs {
		if s.SubID == subID {
			return s
		}
	}
	return p.SIMs[1]
}

// deleteRemoved deletes the -deleted rows after they were committed, so
// their bytes stay in free space.
func (p *Phone) deleteRemoved(d *sqliteDB, keep func(*Message) bool) {
	d.begin()
	for _, m := range p.Messages {
		if m.Removed && keep(m) {
			if m.Kind == KindSMS {
				d.exec("DELETE FROM sms WHERE _id=?", m.ID)
				d.exec("DELETE FROM words_content WHERE c2source_id=? AND c3table_to_use=1", m.ID)
			} else {
				d.exec("DELETE FROM pdu WHERE _id=?", m.ID)
			}
		}
	}
	d.commit()
}

// createWordsFTS3 creates Android's "words" full-text table. modernc's
// SQLite has no FTS3 module, so the virtual table's schema row and its
// shadow tables are written directly (as FTS3 would create them); the
// text copies go into words_content, the full-text index stays empty.
func createWordsFTS3(d *sqliteDB) {
	d.exec("PRAGMA writable_schema=ON")
	d.exec("INSERT INTO sqlite_master (type,name,tbl_name,rootpage,sql) VALUES ('table','words','words',0,'CREATE VIRTUAL TABLE words USING FTS3 (_id INTEGER PRIMARY KEY, index_text TEXT, source_id INTEGER, table_to_use INTEGER)')")
	d.exec("PRAGMA writable_schema=OFF")
	d.exec("CREATE TABLE 'words_content'(docid INTEGER PRIMARY KEY, 'c0_id', 'c1index_text', 'c2source_id', 'c3table_to_use')")
	d.exec("CREATE TABLE 'words_segments'(blockid INTEGER PRIMARY KEY, block BLOB)")
	d.exec("CREATE TABLE 'words_segdir'(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx))")
}
