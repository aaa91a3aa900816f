//go:build !js

package samples

import "strings"

const simComponent = "com.android.phone/com.android.services.telephony.TelephonyConnectionService"

// callAccountID is calls.subscription_id: the SIM's ICCID on Android ≤ 12;
// on 13+ the subscription id, except rows of SIMs no longer present, which
// keep the ICCID with the migration flag set.
func (p *Phone) callAccountID(c *Call) (string, int) {
	if p.Device.SDK >= 33 {
		if c.SIM.Slot < 0 {
			return c.SIM.ICCID, 1
		}
		return itoa(c.SIM.SubID), 0
	}
	return c.SIM.ICCID, 0
}

func calllogVersion(sdk int) int {
	switch {
	case sdk >= 34:
		return 12
	case sdk >= 33:
		return 11
	}
	return 9
}

func (p *Phone) writeCallLogDB(path string) error {
	d, err := createDB(path, calllogVersion(p.Device.SDK), strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return err
	}
	d.exec("CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,presentation INTEGER NOT NULL DEFAULT 1,post_dial_digits TEXT NOT NULL DEFAULT '',via_number TEXT NOT NULL DEFAULT '',date INTEGER,duration INTEGER,data_usage INTEGER,type INTEGER,features INTEGER NOT NULL DEFAULT 0,subscription_component_name TEXT,subscription_id TEXT,phone_account_address TEXT,phone_account_hidden INTEGER NOT NULL DEFAULT 0,sub_id INTEGER DEFAULT -1,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,photo_uri TEXT,formatted_number TEXT,add_for_all_users INTEGER NOT NULL DEFAULT 1,last_modified INTEGER DEFAULT 0,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,transcription TEXT,transcription_state INTEGER NOT NULL DEFAULT 0,state INTEGER,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,backed_up INTEGER NOT NULL DEFAULT 0,restored INTEGER NOT NULL DEFAULT 0,archived INTEGER NOT NULL DEFAULT 0,is_omtp_voicemail INTEGER NOT NULL DEFAULT 0,call_screening_component_name TEXT,call_screening_app_name TEXT,block_reason INTEGER NOT NULL DEFAULT 0,missed_reason INTEGER NOT NULL DEFAULT 0,priority INTEGER NOT NULL DEFAULT 0,subject TEXT,location TEXT,composer_photo_uri TEXT,is_call_log_phone_account_migration_pending INTEGER NOT NULL DEFAULT 0)")
	d.exec("CREATE TABLE voicemail_status (_id INTEGER PRIMARY KEY AUTOINCREMENT,source_package TEXT UNIQUE NOT NULL,phone_account_component_name TEXT,phone_account_id TEXT,settings_uri TEXT,voicemail_access_uri TEXT,configuration_state INTEGER,data_channel_state INTEGER,notification_channel_state INTEGER,quota_occupied INTEGER DEFAULT -1,quota_total INTEGER DEFAULT -1,source_type TEXT)")
	d.exec("CREATE INDEX calls_date_index ON calls (date)")
	d.begin()
	ins := d.prepare("INSERT INTO calls (_id,number,presentation,post_dial_digits,date,duration,type,features,subscription_component_name,subscription_id,phone_account_address,sub_id,new,name,numbertype,countryiso,is_read,geocoded_location,normalized_number,formatted_number,last_modified,transcription,block_reason,missed_reason,call_screening_app_name,is_call_log_phone_account_migration_pending,_data,has_content,mime_type,source_package,voicemail_uri) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	for _, c := range p.Calls {
		acct, pending := p.callAccountID(c)
		var name, ntype, norm, formatted, geo any
		if c.Name != "" {
			name, ntype = c.Name, c.NumberType
		}
		if c.Number != "" {
			norm, geo = c.Number, c.Geocoded
			formatted = c.Number
		}
		var isRead any
		if c.Type == CallMissed || c.Type == CallVoicemail {
			isRead = boolInt(!c.New)
		}
		missed := 0
		if c.Type == CallMissed {
			missed = 0x10000
		}
		var screen any
		if c.Type == CallBlocked {
			screen = "Security"
		}
		var vdata, vhas, vmime, vpkg, vuri any
		if c.Type == CallVoicemail {
			vdata = "/data/user_de/0/com.android.providers.contacts/files/voicemail-" + itoa(c.ID) + ".amr"
			vhas, vmime, vpkg = 1, "audio/amr", "com.android.phone"
			vuri = "content://com.android.voicemail/voicemail/" + itoa(c.ID)
		}
		ins.exec(c.ID, c.Number, c.Presentation, c.PostDial, c.Date.UnixMilli(), c.Duration, c.Type, c.Features, simComponent, acct, c.SIM.Number, c.SIM.SubID,
			boolInt(c.New), name, ntype, c.CountryISO, isRead, geo, norm, formatted, c.Date.UnixMilli()+int64(c.Duration)*1000, nullStr(c.Transcription),
			c.BlockReason, missed, screen, pending, vdata, vhas, vmime, vpkg, vuri)
	}
	ins.close()
	d.commit()
	if p.Deleted {
		d.begin()
		for _, c := range p.Calls {
			if c.Removed {
				d.exec("DELETE FROM calls WHERE _id=?", c.ID)
			}
		}
		d.commit()
	}
	return d.close()
}

// writeTelephonyDB writes telephony.db with siminfo (one row per SIM ever
// used) and a few APNs.
func (p *Phone) writeTelephonyDB(path string) error {
	ver := 64 << 16
	if p.Device.SDK >= 34 {
		ver = 70 << 16
	}
	d, err := createDB(path, ver, strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return err
	}
	d.exec("CREATE TABLE siminfo(_id INTEGER PRIMARY KEY AUTOINCREMENT,icc_id TEXT NOT NULL,sim_id INTEGER DEFAULT -1,display_name TEXT,carrier_name TEXT,name_source INTEGER DEFAULT 0,color INTEGER DEFAULT 0,number TEXT,display_number_format INTEGER NOT NULL DEFAULT 1,data_roaming INTEGER DEFAULT 0,mcc INTEGER DEFAULT 0,mnc INTEGER DEFAULT 0,mcc_string TEXT,mnc_string TEXT,ehplmns TEXT,hplmns TEXT,sim_provisioning_status INTEGER DEFAULT 0,is_embedded INTEGER DEFAULT 0,card_id TEXT NOT NULL,access_rules BLOB,access_rules_from_carrier_configs BLOB,is_removable INTEGER DEFAULT 0,enable_cmas_extreme_threat_alerts INTEGER DEFAULT 1,enable_cmas_severe_threat_alerts INTEGER DEFAULT 1,enable_cmas_amber_alerts INTEGER DEFAULT 1,enable_emergency_alerts INTEGER DEFAULT 1,volte_vt_enabled INTEGER DEFAULT -1,vt_ims_enabled INTEGER DEFAULT -1,wfc_ims_enabled INTEGER DEFAULT -1,is_opportunistic INTEGER DEFAULT 0,group_uuid TEXT,is_metered INTEGER DEFAULT 1,iso_country_code TEXT,carrier_id INTEGER DEFAULT -1,profile_class INTEGER DEFAULT -1,subscription_type INTEGER DEFAULT 0,group_owner TEXT,data_enabled_override_rules TEXT,enabled_mobile_data_policies TEXT,imsi TEXT,uicc_applications_enabled INTEGER DEFAULT 1,allowed_network_types TEXT,ims_rcs_uce_enabled INTEGER DEFAULT 0,cross_sim_calling_enabled INTEGER DEFAULT 0,rcs_config BLOB,allowed_network_types_for_reasons TEXT,d2d_sharing_status INTEGER DEFAULT 0,voims_opt_in_status INTEGER DEFAULT 0,d2d_sharing_contacts TEXT,nr_advanced_calling_enabled INTEGER DEFAULT -1,phone_number_source_carrier TEXT,phone_number_source_ims TEXT,port_index INTEGER DEFAULT -1,usage_setting INTEGER DEFAULT -1,tp_message_ref INTEGER DEFAULT -1,user_handle INTEGER DEFAULT -1)")
	d.exec("CREATE TABLE carriers(_id INTEGER PRIMARY KEY,name TEXT DEFAULT '',numeric TEXT DEFAULT '',mcc TEXT DEFAULT '',mnc TEXT DEFAULT '',carrier_id INTEGER DEFAULT -1,apn TEXT DEFAULT '',user TEXT DEFAULT '',server TEXT DEFAULT '',password TEXT DEFAULT '',proxy TEXT DEFAULT '',port TEXT DEFAULT '',mmsproxy TEXT DEFAULT '',mmsport TEXT DEFAULT '',mmsc TEXT DEFAULT '',authtype INTEGER DEFAULT -1,type TEXT DEFAULT '',current INTEGER,sub_id INTEGER DEFAULT -1,protocol TEXT DEFAULT 'IP',roaming_protocol TEXT DEFAULT 'IP',carrier_enabled BOOLEAN DEFAULT 1,edited INTEGER DEFAULT 0,user_visible BOOLEAN DEFAULT 1,user_editable BOOLEAN DEFAULT 1)")
	d.begin()
	colors := []int{-16746133, -13408298, -5767168}
	for i, s := range p.SIMs {
		d.exec("INSERT INTO siminfo (_id,icc_id,sim_id,display_name,carrier_name,name_source,color,number,mcc,mnc,mcc_string,mnc_string,card_id,is_removable,iso_country_code,carrier_id,profile_class,imsi,ehplmns,hplmns,port_index,phone_number_source_carrier) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,-1,?,'',?,?,?)",
			s.SubID, s.ICCID, s.Slot, s.DisplayName, s.Carrier.Name, 4, colors[i%3], s.Number, atoiOr(s.Carrier.MCC), atoiOr(s.Carrier.MNC), s.Carrier.MCC, s.Carrier.MNC,
			s.ICCID, s.Country.ISO, s.Carrier.CarrierID, s.IMSI, s.Carrier.MCC+s.Carrier.MNC, max(s.Slot, -1), nullStr(phoneIfActive(s)))
	}
	for i, s := range p.SIMs {
		d.exec("INSERT INTO carriers (_id,name,numeric,mcc,mnc,carrier_id,apn,type,mmsc,current) VALUES (?,?,?,?,?,?,?,?,?,?)",
			i+1, s.Carrier.Name, s.Carrier.MCC+s.Carrier.MNC, s.Carrier.MCC, s.Carrier.MNC, s.Carrier.CarrierID, "internet", "default,supl,mms", "http://mmsc.example.invalid", nil)
	}
	d.commit()
	return d.close()
}

func phoneIfActive(s *SIM) string {
	if s.Slot < 0 {
		return ""
	}
	return s.Number
}

func atoiOr(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// writeAccountsDBs writes accounts_ce.db and accounts_de.db.
func (p *Phone) writeAccountsDBs(cePath, dePath string) error {
	d, err := createDB(cePath, 10, strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return err
	}
	d.exec("CREATE TABLE accounts ( _id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, type TEXT NOT NULL, password TEXT, UNIQUE(name,type))")
	d.exec("CREATE TABLE authtokens (  _id INTEGER PRIMARY KEY AUTOINCREMENT,  accounts_id INTEGER NOT NULL, type TEXT NOT NULL,  authtoken TEXT,  UNIQUE (accounts_id,type))")
	d.exec("CREATE TABLE extras ( _id INTEGER PRIMARY KEY AUTOINCREMENT, accounts_id INTEGER, key TEXT NOT NULL, value TEXT, UNIQUE(accounts_id,key))")
	d.begin()
	for i, a := range p.Accounts {
		d.exec("INSERT INTO accounts (_id,name,type,password) VALUES (?,?,?,?)", i+1, a.Name, a.Type, nullStr(a.Password))
		if a.AuthToken != "" {
			d.exec("INSERT INTO authtokens (accounts_id,type,authtoken) VALUES (?,?,?)", i+1, map[string]string{"com.google": "oauth2:https://www.googleapis.com/auth/userinfo.email", "com.xiaomi": "micloud"}[a.Type], a.AuthToken)
		}
		for _, e := range a.Extras {
			d.exec("INSERT INTO extras (accounts_id,key,value) VALUES (?,?,?)", i+1, e[0], e[1])
		}
	}
	d.commit()
	if err := d.close(); err != nil {
		return err
	}
	d, err = createDB(dePath, 3, strings.ReplaceAll(p.Device.Locale, "-", "_"))
	if err != nil {
		return err
	}
	d.exec("CREATE TABLE accounts ( _id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, previous_name TEXT, last_password_entry_time_millis_epoch INTEGER DEFAULT 0, UNIQUE(name,type))")
	d.exec("CREATE TABLE grants (  accounts_id INTEGER NOT NULL, auth_token_type STRING NOT NULL,  uid INTEGER NOT NULL,  UNIQUE (accounts_id,auth_token_type,uid))")
	d.exec("CREATE TABLE visibility ( accounts_id INTEGER NOT NULL, _package TEXT NOT NULL, value INTEGER, PRIMARY KEY(accounts_id,_package))")
	d.exec("CREATE TABLE shared_accounts ( _id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, type TEXT NOT NULL, UNIQUE(name,type))")
	d.exec("CREATE TABLE meta ( key TEXT PRIMARY KEY NOT NULL, value TEXT)")
	d.exec("CREATE TABLE debug_table ( _id INTEGER,action_type TEXT NOT NULL, time TEXT NOT NULL, caller_uid INTEGER NOT NULL, table_name TEXT NOT NULL, primary_key INTEGER PRIMARY KEY)")
	d.begin()
	for i, a := range p.Accounts {
		d.exec("INSERT INTO accounts (_id,name,type,last_password_entry_time_millis_epoch) VALUES (?,?,?,?)", i+1, a.Name, a.Type, p.BackupTime.AddDate(0, -6, -i).UnixMilli())
		d.exec("INSERT INTO debug_table (_id,action_type,time,caller_uid,table_name,primary_key) VALUES (?,?,?,?,?,?)", i+1, "action_account_add", p.BackupTime.AddDate(-1, -2, i).Format("2006-01-02 15:04:05"), 1000, "accounts", i+1)
	}
	d.exec("INSERT INTO meta VALUES ('auth_uid_for_type:com.google','10151'),('auth_uid_for_type:com.xiaomi','10098')")
	d.commit()
	return d.close()
}
