//go:build !js

package samples

import (
	"strings"
	"time"
)

// contactsMimetypes in the order ContactsProvider registers them.
var contactsMimetypes = []string{
	"vnd.android.cursor.item/email_v2", "vnd.android.cursor.item/im", "vnd.android.cursor.item/nickname",
	"vnd.android.cursor.item/organization", "vnd.android.cursor.item/phone_v2", "vnd.android.cursor.item/sip_address",
	"vnd.android.cursor.item/name", "vnd.android.cursor.item/postal-address_v2", "vnd.android.cursor.item/identity",
	"vnd.android.cursor.item/photo", "vnd.android.cursor.item/group_membership", "vnd.android.cursor.item/note",
	"vnd.android.cursor.item/website", "vnd.android.cursor.item/contact_event", "vnd.android.cursor.item/relation",
	"vnd.com.miui.cursor.item/xiaomiId",
}

func mimeID(m string) int {
	for i, x := range contactsMimetypes {
		if x == m {
			return i + 1
		}
	}
	panic(m)
}

func contactsSchema() []string {
	data := "CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),mimetype_id INTEGER REFERENCES mimetype(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,hash_id TEXT,is_read_only INTEGER NOT NULL DEFAULT 0,is_primary INTEGER NOT NULL DEFAULT 0,is_super_primary INTEGER NOT NULL DEFAULT 0,data_version INTEGER NOT NULL DEFAULT 0"
	for i := 1; i <= 15; i++ {
		data += ",data" + itoa(i) + " TEXT"
	}
	data += ",data_sync1 TEXT,data_sync2 TEXT,data_sync3 TEXT,data_sync4 TEXT,carrier_presence INTEGER NOT NULL DEFAULT 0,preferred_phone_account_component_name TEXT,preferred_phone_account_id TEXT)"
	return []string{
		"CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_name TEXT, account_type TEXT, data_set TEXT, sim_slot_index INTEGER, sim_ef_type INTEGER, ungrouped_visible INTEGER NOT NULL DEFAULT 0, should_sync INTEGER NOT NULL DEFAULT 1, x_is_default INTEGER NOT NULL DEFAULT 0)",
		"CREATE TABLE contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,name_raw_contact_id INTEGER REFERENCES raw_contacts(_id),photo_id INTEGER REFERENCES data(_id),photo_file_id INTEGER REFERENCES photo_files(_id),custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,x_times_contacted INTEGER NOT NULL DEFAULT 0,x_last_time_contacted INTEGER,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,has_phone_number INTEGER NOT NULL DEFAULT 0,lookup TEXT,status_update_id INTEGER REFERENCES data(_id),contact_last_updated_timestamp INTEGER)",
		"CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_id INTEGER REFERENCES accounts(_id),sourceid TEXT,backup_id TEXT,raw_contact_is_read_only INTEGER NOT NULL DEFAULT 0,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,metadata_dirty INTEGER NOT NULL DEFAULT 0,contact_id INTEGER REFERENCES contacts(_id),aggregation_mode INTEGER NOT NULL DEFAULT 0,aggregation_needed INTEGER NOT NULL DEFAULT 1,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,x_times_contacted INTEGER NOT NULL DEFAULT 0,x_last_time_contacted INTEGER,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,display_name TEXT,display_name_alt TEXT,display_name_source INTEGER NOT NULL DEFAULT 0,phonetic_name TEXT,phonetic_name_style TEXT,sort_key TEXT COLLATE PHONEBOOK,phonebook_label TEXT,phonebook_bucket INTEGER,sort_key_alt TEXT COLLATE PHONEBOOK,phonebook_label_alt TEXT,phonebook_bucket_alt INTEGER,name_verified INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT )",
		data,
		"CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT,mimetype TEXT NOT NULL)",
		"CREATE UNIQUE INDEX mime_type ON mimetypes (mimetype)",
		"CREATE TABLE packages (_id INTEGER PRIMARY KEY AUTOINCREMENT,package TEXT NOT NULL)",
		"CREATE TABLE phone_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_number TEXT NOT NULL,min_match TEXT NOT NULL)",
		"CREATE INDEX phone_lookup_index ON phone_lookup (normalized_number,raw_contact_id,data_id)",
		"CREATE INDEX phone_lookup_min_match_index ON phone_lookup (min_match,raw_contact_id,data_id)",
		"CREATE TABLE name_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_name TEXT NOT NULL,name_type INTEGER NOT NULL,PRIMARY KEY (data_id, normalized_name, name_type))",
		"CREATE TABLE groups (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),account_id INTEGER REFERENCES accounts(_id),sourceid TEXT,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,title TEXT,title_res INTEGER,notes TEXT,system_id TEXT,deleted INTEGER NOT NULL DEFAULT 0,group_visible INTEGER NOT NULL DEFAULT 0,should_sync INTEGER NOT NULL DEFAULT 1,auto_add INTEGER NOT NULL DEFAULT 0,favorites INTEGER NOT NULL DEFAULT 0,group_is_read_only INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT )",
		"CREATE TABLE deleted_contacts (contact_id INTEGER PRIMARY KEY,contact_deleted_timestamp INTEGER NOT NULL default 0)",
		"CREATE TABLE data_usage_stat(stat_id INTEGER PRIMARY KEY AUTOINCREMENT, data_id INTEGER NOT NULL, usage_type INTEGER NOT NULL DEFAULT 0, x_times_used INTEGER NOT NULL DEFAULT 0, x_last_time_used INTEGER NOT NULL DEFAULT 0, times_used INTEGER NOT NULL DEFAULT 0, last_time_used INTEGER NOT NULL DEFAULT 0, FOREIGN KEY(data_id) REFERENCES data(_id))",
		"CREATE TABLE photo_files (_id INTEGER PRIMARY KEY AUTOINCREMENT,height INTEGER NOT NULL,width INTEGER NOT NULL,filesize INTEGER NOT NULL)",
		"CREATE TABLE properties (property_key TEXT PRIMARY KEY, property_value TEXT )",
		"CREATE INDEX raw_contacts_contact_id_index ON raw_contacts (contact_id)",
		"CREATE INDEX data_raw_contact_id ON data (raw_contact_id)",
		"CREATE INDEX data_mimetype_data1_index ON data (mimetype_id,data1)",
	}
}

func contactsVersion(sdk int) int {
	switch {
	case sdk >= 34:
		return 1701
	case sdk >= 33:
		return 1613
	}
	return 1500
}

// minMatch is Android's caller-id key: the last 7 digits reversed.
func minMatch(e164 string) string {
	d := []byte(strings.TrimPrefix(e164, "+"))
	if len(d) > 7 {
		d = d[len(d)-7:]
	}
	for i, j := 0, len(d)-1; i < j; i, j = i+1, j-1 {
		d[i], d[j] = d[j], d[i]
	}
	return string(d)
}

// writeContactsDB writes contacts2.db (profile=false) or profile.db.
func (p *Phone) writeContactsDB(path string, profile bool) error {
	d, err := createDB(path, contactsVersion(p.Device.SDK), strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return err
	}
	for _, s := range contactsSchema() {
		d.exec(s)
	}
	d.begin()
	for i, m := range contactsMimetypes {
		d.exec("INSERT INTO mimetypes (_id, mimetype) VALUES (?,?)", i+1, m)
	}
	d.exec("INSERT INTO packages (_id, package) VALUES (1,'com.android.contacts'),(2,'com.google.android.syncadapters.contacts'),(3,'com.miui.cloudservice')")
	d.exec("INSERT INTO properties VALUES ('database_time_created', ?),('directoryScanComplete','1'),('aggregation_v2','5')", i64toa(p.BackupTime.AddDate(-2, 0, 0).UnixMilli()))
	contacts := p.Contacts
	if profile {
		o := p.Owner
		contacts = []*Contact{{ID: 1, Given: o.Given, Family: o.Family, Display: o.Display, Lang: o.Lang,
			Phones: []ContactPhone{{Number: p.SIMs[1].Number, E164: p.SIMs[1].Number, Type: 2}, {Number: p.SIMs[2].Number, E164: p.SIMs[2].Number, Type: 17}},
			Emails: []string{o.Email}}}
	}
	accIDs := map[string]int{}
	accOf := func(c *Contact) any {
		if c.AccountType == "" {
			return nil
		}
		key := c.AccountType + "\x00" + c.AccountName
		if id, ok := accIDs[key]; ok {
			return id
		}
		id := len(accIDs) + 1
		accIDs[key] = id
		var slot, ef any
		if strings.HasSuffix(c.AccountType, ".sim") {
			slot, ef = 0, 1
		}
		d.exec("INSERT INTO accounts (_id, account_name, account_type, sim_slot_index, sim_ef_type, ungrouped_visible, x_is_default) VALUES (?,?,?,?,?,1,?)",
			id, c.AccountName, c.AccountType, slot, ef, boolInt(c.AccountType == "com.android.contacts.default"))
		return id
	}
	if !profile {
		// register the accounts in a fixed order first
		for _, a := range accountLayout {
			for _, c := range contacts {
				if c.AccountType == a.typ {
					accOf(c)
					break
				}
			}
		}
	}
	dataID := 0
	contactID := 0
	r := NewRand(p.Seed, "contactsdb")
	for _, c := range contacts {
		var cid any
		if !c.SoftDeleted {
			contactID++
			cid = contactID
			hasPhone := boolInt(len(c.Phones) > 0)
			d.exec("INSERT INTO contacts (_id,name_raw_contact_id,x_times_contacted,times_contacted,starred,has_phone_number,lookup,contact_last_updated_timestamp) VALUES (?,?,?,?,?,?,?,?)",
				contactID, c.ID, c.TimesContacted, c.TimesContacted/10*10, boolInt(c.Starred), hasPhone, "0r"+itoa(c.ID)+"-"+strings.ToUpper(r.Hex(12)),
				p.BackupTime.AddDate(0, -r.Intn(10), -r.Intn(28)).UnixMilli())
		} else {
			d.exec("INSERT INTO deleted_contacts VALUES (?,?)", 1000+c.ID, p.BackupTime.Add(-time.Duration(24+r.Intn(500))*time.Hour).UnixMilli())
		}
		var sourceID any
		if c.AccountType == "com.google" || c.AccountType == "com.xiaomi" {
			sourceID = r.Hex(16)
		}
		d.exec("INSERT INTO raw_contacts (_id,account_id,sourceid,deleted,dirty,contact_id,x_times_contacted,times_contacted,starred,display_name,display_name_alt,display_name_source,sort_key,phonebook_label,sort_key_alt,phonebook_label_alt) VALUES (?,?,?,?,?,?,?,?,?,?,?,40,?,?,?,?)",
			c.ID, accOf(c), sourceID, boolInt(c.SoftDeleted), boolInt(c.SoftDeleted), cid, c.TimesContacted, c.TimesContacted/10*10, boolInt(c.Starred),
			c.Display, displayAlt(c), c.Display, label(c.Display), displayAlt(c), label(displayAlt(c)))
		add := func(mime string, primary bool, vals ...any) int {
			dataID++
			args := []any{dataID, mimeID(mime), c.ID, boolInt(primary)}
			cols := "_id,mimetype_id,raw_contact_id,is_primary"
			q := "?,?,?,?"
			for i, v := range vals {
				cols += ",data" + itoa(i+1)
				q += ",?"
				args = append(args, v)
			}
			d.exec("INSERT INTO data ("+cols+") VALUES ("+q+")", args...)
			return dataID
		}
		add("vnd.android.cursor.item/name", false, c.Display, c.Given, c.Family)
		for i, ph := range c.Phones {
			id := add("vnd.android.cursor.item/phone_v2", i == 0 && len(c.Phones) > 1, ph.Number, itoa(ph.Type), nil, ph.E164)
			d.exec("INSERT INTO phone_lookup VALUES (?,?,?,?)", id, c.ID, ph.E164, minMatch(ph.E164))
		}
		for _, e := range c.Emails {
			add("vnd.android.cursor.item/email_v2", false, e, "1")
		}
		if c.Org != "" {
			add("vnd.android.cursor.item/organization", false, c.Org, "1", nil, nullStr(c.Title))
		}
		if c.Note != "" {
			add("vnd.android.cursor.item/note", false, c.Note)
		}
		if c.Birthday != "" {
			add("vnd.android.cursor.item/contact_event", false, c.Birthday, "3")
		}
		if c.XiaomiID != "" {
			add("vnd.com.miui.cursor.item/xiaomiId", false, c.XiaomiID)
		}
		if c.ID%5 == 0 {
			thumb := smallJPEG(uint64(c.ID) * 7919)
			dataID++
			d.exec("INSERT INTO data (_id,mimetype_id,raw_contact_id,data15) VALUES (?,?,?,?)", dataID, mimeID("vnd.android.cursor.item/photo"), c.ID, thumb)
		}
	}
	d.commit()
	if p.Deleted && !profile {
		d.begin()
		for _, c := range contacts {
			if c.Removed {
				d.exec("DELETE FROM data WHERE raw_contact_id=?", c.ID)
				d.exec("DELETE FROM phone_lookup WHERE raw_contact_id=?", c.ID)
				d.exec("DELETE FROM contacts WHERE name_raw_contact_id=?", c.ID)
				d.exec("DELETE FROM raw_contacts WHERE _id=?", c.ID)
			}
		}
		d.commit()
	}
	return d.close()
}

func displayAlt(c *Contact) string {
	n := namesByLang[c.Lang]
	if n.noSpace {
		return c.Display
	}
	return c.Family + ", " + c.Given
}

func label(s string) string {
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			return string(r - 32)
		}
		if r < 0x80 {
			return string(r)
		}
		return "#"
	}
	return "#"
}
