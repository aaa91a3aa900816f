//go:build !js

package samples

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Phone is the synthetic device every kind of sample is rendered from, so
// that the MIUI set, the .ab and the dump of one seed describe the same
// person, contacts, messages and calls.
type Phone struct {
	Seed       uint64
	Hostile    bool
	Deleted    bool
	Device     Device
	BackupTime time.Time
	IMEIs      []string
	SIMs       []*SIM // SIMs[0] is a SIM used in the past (slot -1); the others are inserted
	Owner      Owner
	Accounts   []Account
	SSAIDs     []SSAID
	SSAIDKey   string
	Contacts   []*Contact
	Threads    []*Thread
	Messages   []*Message // SMS and MMS, oldest first
	Calls      []*Call    // oldest first
	Wifi       []*WifiNet
	BT         []*BTDevice
	Messenger  *Messenger
	lang       string // owner's language
	home       *country
}

// Device describes the handset.
type Device struct {
	Brand, Manufacturer string
	Model               string // ro.product.model
	Marketing           string // human-readable name
	Codename            string // Build.DEVICE
	ROM                 string // Build.VERSION.INCREMENTAL, e.g. V14.0.8.0.TKHMIXM
	Release             string // Android version
	SDK                 int
	Serial              string
	BTName, BTAddr      string
	WifiMAC             string
	Fingerprint         string
	Locale              string
}

// SIM is one subscription (row of siminfo).
type SIM struct {
	SubID               int // siminfo._id
	Slot                int // -1: not inserted
	ICCID, IMSI, Number string
	SMSC                string // service centre number
	Carrier             carrier
	Country             *country
	DisplayName         string
	IMEI                string // IMEI of the slot it was last in
	FirstUsed, LastUsed time.Time
}

// Owner is the device owner (profile card).
type Owner struct {
	Given, Family, Display string
	Email                  string // Google account
	XiaomiID               string
	Lang                   string
}

// Account is an AccountManager account.
type Account struct {
	Type, Name string
	Password   string // stored secret or ""; never shown by readers
	AuthToken  string
	Extras     [][2]string
}

// SSAID is one per-app Android ID.
type SSAID struct {
	UID     int
	Package string
	Value   string
}

// Contact is one raw contact (one address-book entry in one account).
type Contact struct {
	ID                       int    // raw_contacts._id
	AccountType, AccountName string // "" for AOSP local
	Given, Family, Display   string
	Lang                     string
	Phones                   []ContactPhone
	Emails                   []string
	Org, Title               string
	Note                     string
	Birthday                 string // YYYY-MM-DD
	Starred                  bool
	SoftDeleted              bool // raw_contacts.deleted = 1 (still present)
	Removed                  bool // -deleted: row removed from the database (recoverable only from free space)
	XiaomiID                 string
	TimesContacted           int
	LastContacted            time.Time
}

// ContactPhone is one phone number of a contact.
type ContactPhone struct {
	Number string // as entered
	E164   string
	Type   int // Phone.TYPE_*
}

// Thread is a conversation.
type Thread struct {
	ID         int
	Recipients []string // addresses, one for 1:1
	Contact    *Contact // nil for service senders / unknown
	Lang       string
}

// Message kinds.
const (
	KindSMS = "sms"
	KindMMS = "mms"
)

// Message is one SMS or MMS.
type Message struct {
	Kind     string
	ID       int // sms._id or pdu._id
	Thread   *Thread
	Address  string // other party (SMS) / sender for incoming MMS
	Box      int    // SMS type / MMS msg_box
	Body     string
	Subject  string
	Date     time.Time // ms precision (MMS: s precision)
	DateSent time.Time // zero if unknown
	Read     bool
	Seen     bool
	Status   int
	SubID    int
	Locked   bool
	Error    int
	Parts    []*Part // MMS only
	From     string  // MMS From address ("insert-address-token" when sent)
	To       []string
	MID      string // MMS Message-ID
	TrID     string
	// MIUI extension values
	BlockType    int
	MxStatus     int
	FavoriteDate int64
	Removed      bool // -deleted
	OnlyInWAL    bool // in the -wal variant: written after the WAL switch
}

// Part is one MMS part.
type Part struct {
	Seq      int
	CT       string
	Name     string
	CID, CL  string
	Text     string
	FileName string // under app_parts
	Data     []byte // small binary payload (nil for text)
	BigSize  int64  // >0: large generated media of this size
	Chset    int
}

// Call types (CallLog.Calls.TYPE).
const (
	CallIncoming  = 1
	CallOutgoing  = 2
	CallMissed    = 3
	CallVoicemail = 4
	CallRejected  = 5
	CallBlocked   = 6
	CallExternal  = 7
)

// CallTypeNames maps a call type to the truth-file key.
var CallTypeNames = map[int]string{1: "incoming", 2: "outgoing", 3: "missed", 4: "voicemail", 5: "rejected", 6: "blocked", 7: "answered_externally"}

// Call is one call-log row.
type Call struct {
	ID            int
	Number        string // "" when hidden
	Presentation  int
	Type          int
	Date          time.Time
	Duration      int    // seconds
	Name          string // cached name
	NumberType    int
	SIM           *SIM
	CountryISO    string
	Geocoded      string
	PostDial      string
	BlockReason   int
	Transcription string
	Features      int
	New           bool
	Removed       bool
}

// WifiNet is a saved Wi-Fi network.
type WifiNet struct {
	SSID       string
	PSK        string // "" = open network
	KeyMgmt    string // WPA_PSK, NONE, SAE
	Hidden     bool
	BSSID      string
	GatewayMAC string
	RandMAC    string
	Creator    string
	Priority   int
}

// BTDevice is a paired Bluetooth device.
type BTDevice struct {
	Address, Name string
	Timestamp     time.Time
	LinkKey       string
	DevClass      int
	DevType       int
}

// Messenger is the third-party messaging app (WhatsApp-like data).
type Messenger struct {
	Package, Label string
	OwnJID         string
	PushName       string
	Chats          []*MChat
	Messages       []*MMessage
}

// MChat is one chat of the messenger.
type MChat struct {
	ID      int
	JID     string
	Subject string // group name, "" for 1:1
	Contact *Contact
}

// MMessage is one messenger message.
type MMessage struct {
	ID     int
	Chat   *MChat
	FromMe bool
	Text   string
	Time   time.Time
	KeyID  string
}

// deviceProfiles are Xiaomi handsets with plausible ROM strings.
var deviceProfiles = []Device{
	{Brand: "Xiaomi", Manufacturer: "Xiaomi", Model: "M2012K11AG", Marketing: "POCO F3", Codename: "alioth", ROM: "V14.0.8.0.TKHMIXM", Release: "13", SDK: 33},
	{Brand: "Xiaomi", Manufacturer: "Xiaomi", Model: "2109119DG", Marketing: "Xiaomi 11 Lite 5G NE", Codename: "lisa", ROM: "V14.0.6.0.TKOMIXM", Release: "13", SDK: 33},
	{Brand: "Redmi", Manufacturer: "Xiaomi", Model: "M2101K6G", Marketing: "Redmi Note 10 Pro", Codename: "sweet", ROM: "V14.0.3.0.TKFMIXM", Release: "13", SDK: 33},
	{Brand: "POCO", Manufacturer: "Xiaomi", Model: "23049PCD8G", Marketing: "POCO F5", Codename: "marble", ROM: "OS1.0.5.0.UMRMIXM", Release: "14", SDK: 34},
	{Brand: "Xiaomi", Manufacturer: "Xiaomi", Model: "M2007J20CG", Marketing: "POCO X3 NFC", Codename: "surya", ROM: "V12.5.4.0.RJGMIXM", Release: "11", SDK: 30},
}

// ownerCountries are the home countries a seed can pick.
var ownerCountries = []string{"cn", "in", "ru", "es", "gb", "sa"}

// Scale sets how much data the phone holds.
type Scale struct {
	Threads       int // 1:1 conversations with contacts
	MsgsPerThread int
	Contacts      int
	Calls         int
	MessengerMsgs int
}

// SmallScale is used for the committed samples.
var SmallScale = Scale{Threads: 8, MsgsPerThread: 4, Contacts: 14, Calls: 24, MessengerMsgs: 12}

// NewPhone builds the synthetic phone for seed.
func NewPhone(seed uint64, sc Scale, hostile, deleted bool) *Phone {
	p := &Phone{Seed: seed, Hostile: hostile, Deleted: deleted}
	r := NewRand(seed, "phone")
	p.Device = deviceProfiles[r.Intn(len(deviceProfiles))]
	p.home = countries[pick(r, ownerCountries)]
	p.lang = p.home.Lang
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	p.BackupTime = base.Add(time.Duration(r.Intn(200*24*3600)) * time.Second)
	p.genDevice(NewRand(seed, "device"))
	p.genSIMs(NewRand(seed, "sims"))
	p.genOwner(NewRand(seed, "owner"))
	p.genContacts(NewRand(seed, "contacts"), sc.Contacts)
	p.genMessages(NewRand(seed, "messages"), sc)
	p.genCalls(NewRand(seed, "calls"), sc.Calls)
	p.genWifiBT(NewRand(seed, "wifi"))
	p.genMessenger(NewRand(seed, "messenger"), sc.MessengerMsgs)
	if deleted {
		p.markRemoved(NewRand(seed, "deleted"))
	}
	return p
}

func (p *Phone) genDevice(r *Rand) {
	d := &p.Device
	d.Serial = strings.ToLower(r.Hex(8))
	d.BTAddr = macAddr(r, "", false)
	d.WifiMAC = macAddr(r, "", false)
	d.BTName = d.Marketing
	if p.Hostile {
		d.BTName = d.Marketing + " <img src=x onerror=alert('bt')>"
	}
	d.Fingerprint = fmt.Sprintf("%s/%s_global/%s:%s/%s/%s:user/release-keys", d.Brand, d.Codename, d.Codename, d.Release, buildID(d.SDK), d.ROM)
	d.Locale = map[string]string{"zh": "zh-CN", "hi": "hi-IN", "ru": "ru-RU", "es": "es-ES", "en": "en-GB", "ar": "ar-SA", "de": "de-DE"}[p.lang]
	tac := newTAC(r)
	p.IMEIs = []string{newIMEI(r, tac), newIMEI(r, tac)}
}

func buildID(sdk int) string {
	switch sdk {
	case 30:
		return "RKQ1.200826.002"
	case 34:
		return "UKQ1.230804.001"
	}
	return "TKQ1.221114.001"
}

func (p *Phone) genSIMs(r *Rand) {
	c := p.home
	cars := c.Carriers
	mk := func(subID, slot int, car carrier, cc *country) *SIM {
		s := &SIM{SubID: subID, Slot: slot, Carrier: car, Country: cc}
		s.ICCID = newICCID(r, car.ICCIDPrefix, 19+r.Intn(2))
		s.IMSI = newIMSI(r, car)
		s.Number = newMobile(r, cc)
		s.DisplayName = car.Name
		s.SMSC = "+" + cc.CC + cc.mobile(r)
		return s
	}
	old := mk(1, -1, cars[len(cars)-1], c)
	s1 := mk(2, 0, cars[0], c)
	// the second slot holds a travel SIM from another country
	var other *country
	for _, iso := range countryOrder {
		if iso != c.ISO && iso != "us" {
			other = countries[iso]
			if r.Chance(0.3) {
				break
			}
		}
	}
	s2 := mk(3, 1, other.Carriers[0], other)
	old.IMEI, s1.IMEI, s2.IMEI = p.IMEIs[0], p.IMEIs[0], p.IMEIs[1]
	yearAgo := p.BackupTime.AddDate(-1, 0, 0)
	swap := yearAgo.Add(time.Duration(60+r.Intn(60)) * 24 * time.Hour)
	old.FirstUsed, old.LastUsed = yearAgo.AddDate(-2, 0, 0), swap
	s1.FirstUsed, s1.LastUsed = swap, p.BackupTime
	s2.FirstUsed, s2.LastUsed = swap.Add(40*24*time.Hour), p.BackupTime
	p.SIMs = []*SIM{old, s1, s2}
}

// simAt returns the SIM (and so sub_id) in use at t, choosing slot 1 or 2
// for times after the swap.
func (p *Phone) simAt(r *Rand, t time.Time) *SIM {
	if t.Before(p.SIMs[1].FirstUsed) {
		return p.SIMs[0]
	}
	if t.After(p.SIMs[2].FirstUsed) && r.Chance(0.25) {
		return p.SIMs[2]
	}
	return p.SIMs[1]
}

func latinize(s string) string {
	// Simple transliteration-free fallback for e-mail local parts.
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

var latinOwnerNames = map[string][2]string{"zh": {"wei", "zhang"}, "hi": {"rahul", "sharma"}, "ru": {"ivan", "petrov"}, "es": {"maria", "garcia"}, "en": {"emily", "clarke"}, "ar": {"omar", "mansour"}}

func (p *Phone) genOwner(r *Rand) {
	n := namesByLang[p.lang]
	o := &p.Owner
	o.Lang = p.lang
	o.Given, o.Family = pick(r, n.Given), pick(r, n.Family)
	o.Display = displayName(p.lang, o.Given, o.Family)
	ln := latinOwnerNames[p.lang]
	o.Email = fmt.Sprintf("%s.%s.%d@gmail.com", ln[0], ln[1], 1975+r.Intn(30))
	o.XiaomiID = fmt.Sprint(1000000000 + r.Intn(900000000))
	p.Accounts = []Account{
		{Type: "com.google", Name: o.Email, Password: "", AuthToken: "ya29." + r.Hex(40),
			Extras: [][2]string{{"GoogleUserId", r.Digits(21)}, {"services", "mail,talk,cl,ah"}}},
		{Type: "com.xiaomi", Name: o.XiaomiID, Password: "V1:" + r.Hex(32), AuthToken: r.Hex(48),
			Extras: [][2]string{{"acc_user_name", o.Display}, {"acc_user_email", o.Email}, {"acc_user_phone", maskPhone(p.SIMs[1].Number)}, {"acc_user_region", strings.ToUpper(p.home.ISO)}}},
		{Type: "com.whatsapp", Name: strings.TrimPrefix(p.SIMs[1].Number, "+")},
	}
	p.SSAIDKey = strings.ToUpper(r.Hex(64))
	apps := []string{"com.whatsapp", "com.android.chrome", "com.xiaomi.account", "com.miui.securitycenter", "com.instagram.android", "org.telegram.messenger"}
	for i, a := range apps {
		p.SSAIDs = append(p.SSAIDs, SSAID{UID: 10100 + i*7 + r.Intn(5), Package: a, Value: p.ssaidFor(p.appCert(a))})
	}
}

func maskPhone(n string) string {
	if len(n) < 8 {
		return n
	}
	return n[:len(n)-8] + "****" + n[len(n)-4:]
}

func displayName(lang, given, family string) string {
	n := namesByLang[lang]
	switch {
	case n.familyFirst && n.noSpace:
		return family + given
	case n.familyFirst:
		return family + " " + given
	}
	return given + " " + family
}

// hostile payloads used by -hostile, rotated over the text fields.
var hostilePayloads = []string{
	`<img src=x onerror=alert(1)>`,
	`<script>alert(1)</script>`,
	`javascript:alert(document.domain)`,
	`=cmd|' /C calc'!A0`,
	`<img src="https://tracker.example.invalid/pixel.gif">`,
	`"><svg onload=alert(1)>`,
	`{{7*7}}${7*7}`,
	"\u202Egnp.exe",
}

// h decorates s with a hostile payload when -hostile is on. n picks the payload.
func (p *Phone) h(s string, n int) string {
	if !p.Hostile {
		return s
	}
	return s + " " + hostilePayloads[n%len(hostilePayloads)]
}

var accountLayout = []struct{ typ, name string }{
	{"com.google", ""}, {"com.xiaomi", ""}, {"com.android.contacts.default", "default"}, {"com.android.contacts.sim", "SIM"},
}

func (p *Phone) genContacts(r *Rand, n int) {
	langs := []string{"en", "zh", "ru", "ar", "hi", "es", "de"}
	hp := 0
	usedNames := map[string]bool{}
	for i := 0; i < n; i++ {
		lang := p.lang
		if i%2 == 1 {
			lang = langs[i/2%len(langs)]
		}
		nm := namesByLang[lang]
		c := &Contact{ID: i + 1, Lang: lang, Given: pick(r, nm.Given), Family: pick(r, nm.Family)}
		c.Display = displayName(lang, c.Given, c.Family)
		for try := 0; try < 20 && usedNames[c.Display]; try++ { // keep names unique
			c.Given, c.Family = pick(r, nm.Given), pick(r, nm.Family)
			c.Display = displayName(lang, c.Given, c.Family)
		}
		usedNames[c.Display] = true
		if p.Hostile {
			c.Given = p.h(c.Given, hp)
			c.Display = displayName(lang, c.Given, c.Family)
			hp++
		}
		acc := accountLayout[i%len(accountLayout)]
		c.AccountType, c.AccountName = acc.typ, acc.name
		switch acc.typ {
		case "com.google":
			c.AccountName = p.Owner.Email
		case "com.xiaomi":
			c.AccountName = p.Owner.XiaomiID
		}
		cc := p.home
		for _, iso := range countryOrder {
			if countries[iso].Lang == lang && lang != p.lang {
				cc = countries[iso]
				break
			}
		}
		e := newMobile(r, cc)
		num := e
		if cc == p.home && r.Chance(0.6) {
			num = cc.format(e) // typed in national format
		}
		c.Phones = []ContactPhone{{Number: num, E164: e, Type: 2}}
		if acc.typ != "com.android.contacts.sim" && r.Chance(0.35) {
			e2 := newMobile(r, cc)
			c.Phones = append(c.Phones, ContactPhone{Number: e2, E164: e2, Type: pick(r, []int{1, 3, 17})})
		}
		if acc.typ != "com.android.contacts.sim" && r.Chance(0.5) {
			local := latinize(c.Given) + "." + latinize(c.Family)
			if local == "." {
				local = fmt.Sprintf("user%d", 100+r.Intn(900))
			}
			c.Emails = []string{local + "@" + pick(r, []string{"gmail.com", "yahoo.com", "qq.com", "mail.ru", "outlook.es", "münchen.de"})}
			if p.Hostile {
				c.Emails[0] = `"><script>alert(1)</script>"@example.com`
			}
		}
		if r.Chance(0.3) {
			c.Org, c.Title = p.h(pick(r, orgs), hp+1), pick(r, []string{"Engineer", "经理", "Менеджер", "Doctora", ""})
		}
		if r.Chance(0.3) {
			c.Birthday = fmt.Sprintf("%04d-%02d-%02d", 1960+r.Intn(45), 1+r.Intn(12), 1+r.Intn(28))
		}
		if r.Chance(0.2) {
			c.Note = p.h(pick(r, []string{"Met at the conference 2023", "Door code 4521#", "大学同学", "Сосед по даче"}), hp+2)
		}
		if acc.typ == "com.xiaomi" && r.Chance(0.5) {
			c.XiaomiID = fmt.Sprint(1000000000 + r.Intn(900000000))
		}
		c.Starred = r.Chance(0.2)
		c.TimesContacted = r.Intn(40)
		p.Contacts = append(p.Contacts, c)
	}
	// two soft-deleted entries (deleted=1, still in the database)
	if n >= 6 {
		p.Contacts[n-1].SoftDeleted = true
		p.Contacts[n-4].SoftDeleted = true
	}
}

// LiveContacts returns the contacts a reader must report as present
// (not soft-deleted, not removed).
func (p *Phone) LiveContacts() []*Contact {
	var out []*Contact
	for _, c := range p.Contacts {
		if !c.SoftDeleted && !c.Removed {
			out = append(out, c)
		}
	}
	return out
}

func fill(s string, r *Rand, t time.Time) string {
	s = strings.ReplaceAll(s, "%OTP2%", r.Digits(3))
	s = strings.ReplaceAll(s, "%OTP%", r.Digits(6))
	s = strings.ReplaceAll(s, "%AMT%", fmt.Sprintf("%d.%02d", 10+r.Intn(5000), r.Intn(100)))
	s = strings.ReplaceAll(s, "%DATE%", t.Format("02-01-06"))
	return s
}

func (p *Phone) genMessages(r *Rand, sc Scale) {
	yearAgo := p.BackupTime.AddDate(-1, 0, 0)
	span := int64(p.BackupTime.Sub(yearAgo)/time.Millisecond) - 3600*1000
	randTime := func() time.Time {
		return yearAgo.Add(time.Duration(r.Int63n(span)) * time.Millisecond)
	}
	hp := 0
	threadID := 0
	newThread := func(rec []string, c *Contact, lang string) *Thread {
		threadID++
		t := &Thread{ID: threadID, Recipients: rec, Contact: c, Lang: lang}
		p.Threads = append(p.Threads, t)
		return t
	}
	var msgs []*Message
	// 1:1 threads with contacts that have a phone
	live := p.LiveContacts()
	for i := 0; i < sc.Threads && len(live) > 0; i++ {
		c := live[i%len(live)]
		addr := c.Phones[0].E164
		if r.Chance(0.3) {
			addr = c.Phones[0].Number // as typed
		}
		t := newThread([]string{addr}, c, c.Lang)
		times := make([]time.Time, sc.MsgsPerThread+r.Intn(3))
		for j := range times {
			times[j] = randTime()
		}
		sort.Slice(times, func(a, b int) bool { return times[a].Before(times[b]) })
		texts := chatByLang[c.Lang]
		for j, tm := range times {
			m := &Message{Kind: KindSMS, Thread: t, Address: addr, Date: tm}
			if (i+j)%2 == 0 {
				m.Box = 1
			} else {
				m.Box = 2
			}
			m.Body = p.h(texts[(i*3+j)%len(texts)], hp)
			hp++
			msgs = append(msgs, m)
		}
		if i == 1 { // a draft at the end of the thread
			msgs = append(msgs, &Message{Kind: KindSMS, Thread: t, Address: addr, Box: 3, Body: p.h("Sorry, I can't make it tonight, maybe", hp),
				Date: p.BackupTime.Add(-time.Duration(2+r.Intn(48)) * time.Hour)})
		}
		if i == 2 { // a failed send
			msgs = append(msgs, &Message{Kind: KindSMS, Thread: t, Address: addr, Box: 5, Body: p.h("Did you get my message?", hp), Date: randTime(), Error: 1})
		}
		if i == 3 { // a queued one
			msgs = append(msgs, &Message{Kind: KindSMS, Thread: t, Address: addr, Box: 6, Body: p.h("Will send later ⏰", hp), Date: randTime()})
		}
	}
	// service senders: OTPs, banks, carriers
	nSvc := sc.Threads/2 + 2
	for i := 0; i < nSvc; i++ {
		s := serviceSenders[i%len(serviceSenders)]
		addr := s.Address
		t := newThread([]string{addr}, nil, s.Lang)
		for j := 0; j < 1+sc.MsgsPerThread/2; j++ {
			tm := randTime()
			m := &Message{Kind: KindSMS, Thread: t, Address: addr, Box: 1, Date: tm,
				Body: p.h(fill(s.Texts[j%len(s.Texts)], r, tm), hp)}
			hp++
			msgs = append(msgs, m)
		}
	}
	if p.Hostile {
		addr := `<img src=x onerror=alert("sender")>`
		t := newThread([]string{addr}, nil, "en")
		msgs = append(msgs, &Message{Kind: KindSMS, Thread: t, Address: addr, Box: 1, Date: randTime(),
			Body: `<script>alert(1)</script><a href="javascript:alert(2)">win</a> <img src="https://tracker.example.invalid/x.png"> =cmd|' /C calc'!A0`})
	}
	// MMS
	if len(live) >= 3 {
		p.genMMS(r, &msgs, live, randTime, newThread, &hp)
	}
	// finalize: sort, ids, per-message fields
	sort.SliceStable(msgs, func(a, b int) bool { return msgs[a].Date.Before(msgs[b].Date) })
	smsID, mmsID := 0, 0
	for _, m := range msgs {
		if m.Kind == KindSMS {
			smsID++
			m.ID = smsID
		} else {
			mmsID++
			m.ID = mmsID
			m.Date = m.Date.Truncate(time.Second)
		}
		sim := p.simAt(r, m.Date)
		m.SubID = sim.SubID
		m.Status = -1
		switch m.Box {
		case 1:
			m.Read = r.Chance(0.9)
			m.Seen = m.Read || r.Chance(0.5)
			if m.Kind == KindSMS {
				m.DateSent = m.Date.Add(-time.Duration(1+r.Intn(20000)) * time.Millisecond).Truncate(time.Second)
			} else {
				m.DateSent = m.Date.Add(-time.Duration(2+r.Intn(60)) * time.Second)
			}
		case 2:
			m.Read, m.Seen = true, true
			if r.Chance(0.5) && m.Kind == KindSMS {
				m.Status = 0
			}
		case 3:
			m.Read, m.Seen = true, true
		case 5:
			m.Read, m.Seen = true, true
			m.Status = 64
		default:
			m.Read, m.Seen = true, true
		}
		m.Locked = r.Chance(0.05)
	}
	// MIUI extension values on some messages
	for i, m := range msgs {
		if m.Kind != KindSMS {
			continue
		}
		switch i % 11 {
		case 4:
			if m.Box == 1 && m.Thread.Contact == nil {
				m.BlockType = 12 // keyword filter
			}
		case 7:
			m.FavoriteDate = m.Date.Add(time.Hour).UnixMilli()
		case 9:
			if m.Box == 2 {
				m.MxStatus = 17 // delivered via cloud messaging
			}
		}
	}
	p.Messages = msgs
}

func (p *Phone) genMMS(r *Rand, msgs *[]*Message, live []*Contact, randTime func() time.Time,
	newThread func([]string, *Contact, string) *Thread, hp *int) {
	img := func(name string) *Part {
		return &Part{CT: "image/jpeg", Name: name, CID: "<" + strings.TrimSuffix(name, ".jpg") + ">", CL: name, FileName: name, Data: smallJPEG(r.Uint64())}
	}
	smil := func(hasText bool, imgName string) *Part {
		s := `<smil><head><layout><root-layout/><region id="Image" fit="meet" top="0" left="0" height="80%" width="100%"/><region id="Text" top="80%" left="0" height="20%" width="100%" fit="meet"/></layout></head><body><par dur="5000ms">`
		if imgName != "" {
			s += `<img src="` + imgName + `" region="Image"/>`
		}
		if hasText {
			s += `<text src="text_0.txt" region="Text"/>`
		}
		s += `</par></body></smil>`
		return &Part{Seq: -1, CT: "application/smil", Name: "smil.xml", CID: "<smil>", CL: "smil.xml", Text: s}
	}
	text := func(s string) *Part {
		return &Part{CT: "text/plain", Name: "text_0.txt", CID: "<text_0>", CL: "text_0.txt", Text: s, Chset: 106}
	}
	mid := func() string { return r.Hex(8) + "-" + r.Hex(4) + "@mms.example.invalid" }
	c0, c1 := live[0], live[1]
	// 1: incoming text + image
	t0 := p.threadFor(c0, newThread)
	n1 := p.h("IMG_20230812_181522.jpg", *hp)
	body := p.h(mmsTexts[0], *hp+1)
	*hp += 2
	*msgs = append(*msgs, &Message{Kind: KindMMS, Thread: t0, Box: 1, Date: randTime(), From: t0.Recipients[0], Address: t0.Recipients[0],
		To: []string{"insert-address-token"}, Subject: p.h("Photos", *hp), Body: body, MID: mid(), TrID: "T" + r.Hex(10),
		Parts: []*Part{smil(true, n1), img(n1), text(body)}})
	// 2: outgoing text + image
	t1 := p.threadFor(c1, newThread)
	n2 := "IMG_20231105_094410.jpg"
	body2 := p.h(mmsTexts[2], *hp)
	*hp++
	*msgs = append(*msgs, &Message{Kind: KindMMS, Thread: t1, Box: 2, Date: randTime(), From: "insert-address-token", Address: t1.Recipients[0],
		To: []string{t1.Recipients[0]}, Body: body2, MID: mid(), TrID: "T" + r.Hex(10),
		Parts: []*Part{smil(true, n2), img(n2), text(body2)}})
	// 3: group text-only MMS
	grp := []string{live[0].Phones[0].E164, live[1].Phones[0].E164, live[2].Phones[0].E164}
	tg := newThread(grp, nil, p.lang)
	body3 := p.h(mmsTexts[3]+" 👨‍👩‍👧", *hp)
	*hp++
	*msgs = append(*msgs, &Message{Kind: KindMMS, Thread: tg, Box: 1, Date: randTime(), From: grp[2], Address: grp[2],
		To: []string{"insert-address-token", grp[0], grp[1]}, Body: body3, MID: mid(), TrID: "T" + r.Hex(10),
		Parts: []*Part{smil(true, ""), text(body3)}})
	// 4: incoming image only (no text part: not in the adb telephony backup)
	n4 := "photo.jpg"
	*msgs = append(*msgs, &Message{Kind: KindMMS, Thread: t0, Box: 1, Date: randTime(), From: t0.Recipients[0], Address: t0.Recipients[0],
		To: []string{"insert-address-token"}, MID: mid(), TrID: "T" + r.Hex(10),
		Parts: []*Part{smil(false, n4), img(n4)}})
}

func (p *Phone) threadFor(c *Contact, newThread func([]string, *Contact, string) *Thread) *Thread {
	for _, t := range p.Threads {
		if t.Contact == c && len(t.Recipients) == 1 {
			return t
		}
	}
	return newThread([]string{c.Phones[0].E164}, c, c.Lang)
}

var geocodes = map[string][]string{
	"cn": {"北京", "上海", "广东深圳"}, "in": {"Maharashtra", "Delhi", "Karnataka"}, "ru": {"Москва", "Санкт-Петербург"},
	"us": {"Washington, DC", "California"}, "gb": {"United Kingdom"}, "es": {"España"}, "sa": {"السعودية"}, "eg": {"مصر"}, "de": {"Deutschland"}, "br": {"São Paulo - SP"},
}

func (p *Phone) genCalls(r *Rand, n int) {
	yearAgo := p.BackupTime.AddDate(-1, 0, 0)
	span := int64(p.BackupTime.Sub(yearAgo)/time.Second) - 3600
	live := p.LiveContacts()
	types := []int{1, 2, 2, 1, 3, 2, 1, 4, 5, 6, 7, 3}
	for i := 0; i < n; i++ {
		c := &Call{Type: types[i%len(types)], Presentation: 1}
		c.Date = yearAgo.Add(time.Duration(r.Int63n(span))*time.Second + time.Duration(r.Intn(1000))*time.Millisecond)
		switch {
		case i%9 == 8:
			// unknown number, not in contacts
			c.Number = newMobile(r, p.home)
		case i%13 == 12 && c.Type == 1 || i == 5 && c.Type != 2:
			c.Presentation = 2 // restricted: number hidden
		default:
			ct := live[i%len(live)]
			c.Number = ct.Phones[0].E164
			c.Name = ct.Display
			c.NumberType = ct.Phones[0].Type
		}
		switch c.Type {
		case CallIncoming, CallOutgoing, CallExternal:
			c.Duration = 5 + r.Intn(1800)
		case CallVoicemail:
			c.Duration = 10 + r.Intn(60)
			c.Transcription = p.h("Hi, it's me, call me back when you get this.", i)
		case CallBlocked:
			c.BlockReason = 3
		}
		if c.Type == CallMissed {
			c.New = r.Chance(0.5)
		}
		if c.Type == CallOutgoing && i%5 == 1 {
			c.PostDial = ",1234#"
		}
		if c.Type == CallIncoming && i%4 == 0 {
			c.Features = 0x40 // VoLTE
		}
		if c.Number != "" {
			c.Geocoded = geocodeFor(r, c.Number)
		}
		p.Calls = append(p.Calls, c)
	}
	sort.SliceStable(p.Calls, func(a, b int) bool { return p.Calls[a].Date.Before(p.Calls[b].Date) })
	for i, c := range p.Calls {
		c.ID = i + 1
		c.SIM = p.simAt(r, c.Date)
		c.CountryISO = strings.ToUpper(c.SIM.Country.ISO)
	}
}

func geocodeFor(r *Rand, e164 string) string {
	for _, iso := range countryOrder {
		c := countries[iso]
		if strings.HasPrefix(e164, "+"+c.CC) {
			return pick(r, geocodes[iso])
		}
	}
	return ""
}

func (p *Phone) genWifiBT(r *Rand) {
	names := append([]string(nil), ssids...)
	shuffle(r, names)
	psks := []string{"correct-horse-battery-42", "Sunflower#2019", "12345678", "пароль-для-гостей", "h0me_sw33t_h0me", "xiaomi2024!"}
	for i := 0; i < 6; i++ {
		w := &WifiNet{SSID: p.h(names[i], i), BSSID: macAddr(r, "", false), RandMAC: macAddr(r, "", true), Creator: "com.android.settings", Priority: i}
		w.GatewayMAC = w.BSSID
		switch i {
		case 2:
			w.KeyMgmt = "NONE" // open
		case 4:
			w.KeyMgmt = "SAE"
			w.PSK = psks[i]
		default:
			w.KeyMgmt = "WPA_PSK"
			w.PSK = psks[i]
		}
		if i == 5 {
			w.Hidden = true
		}
		p.Wifi = append(p.Wifi, w)
	}
	for i := 0; i < 4; i++ {
		d := &BTDevice{Address: macAddr(r, "", false), Name: p.h(btNames[(i+int(p.Seed))%len(btNames)], i),
			Timestamp: p.BackupTime.AddDate(0, -r.Intn(11), -r.Intn(28)).Truncate(time.Second),
			LinkKey:   strings.ToLower(r.Hex(32)), DevClass: pick(r, []int{0x240404, 0x200418, 0x1f00, 0x240408}), DevType: pick(r, []int{1, 2, 3})}
		p.BT = append(p.BT, d)
	}
}

func (p *Phone) genMessenger(r *Rand, n int) {
	m := &Messenger{Package: "com.whatsapp", Label: "WhatsApp", PushName: p.h(p.Owner.Given, 3)}
	m.OwnJID = strings.TrimPrefix(p.SIMs[1].Number, "+") + "@s.whatsapp.net"
	live := p.LiveContacts()
	for i := 0; i < 3 && i < len(live); i++ {
		c := live[i]
		m.Chats = append(m.Chats, &MChat{ID: i + 1, JID: strings.TrimPrefix(c.Phones[0].E164, "+") + "@s.whatsapp.net", Contact: c})
	}
	m.Chats = append(m.Chats, &MChat{ID: len(m.Chats) + 1, JID: "120363" + r.Digits(12) + "@g.us", Subject: p.h("Familia 👨‍👩‍👧‍👦", 1)})
	yearAgo := p.BackupTime.AddDate(-1, 0, 0)
	span := int64(p.BackupTime.Sub(yearAgo) / time.Millisecond)
	for i := 0; i < n; i++ {
		ch := m.Chats[i%len(m.Chats)]
		lang := p.lang
		if ch.Contact != nil {
			lang = ch.Contact.Lang
		}
		texts := chatByLang[lang]
		m.Messages = append(m.Messages, &MMessage{Chat: ch, FromMe: i%3 == 1, Text: p.h(texts[(i*5)%len(texts)], i),
			Time: yearAgo.Add(time.Duration(r.Int63n(span)) * time.Millisecond), KeyID: strings.ToUpper(r.Hex(20))})
	}
	sort.SliceStable(m.Messages, func(a, b int) bool { return m.Messages[a].Time.Before(m.Messages[b].Time) })
	for i, mm := range m.Messages {
		mm.ID = i + 1
	}
	p.Messenger = m
}

// markRemoved picks rows that the SQLite writers insert and then DELETE
// (-deleted), leaving their bytes in free space for recovery tools.
func (p *Phone) markRemoved(r *Rand) {
	k := 0
	for _, m := range p.Messages {
		if m.Kind == KindSMS && m.Box == 1 && m.Thread.Contact != nil {
			if k%4 == 1 {
				m.Removed = true
			}
			k++
		}
	}
	for i, c := range p.Calls {
		if i%6 == 2 {
			c.Removed = true
		}
	}
	for i, c := range p.Contacts {
		if !c.SoftDeleted && i%7 == 3 {
			c.Removed = true
		}
	}
	_ = r
}

// ssaidFor computes an app's Android ID as SettingsProvider does: the first
// 64 bits of HMAC-SHA256 keyed with the user key over the length-prefixed
// signing certificate, as 16 lower-case hex digits.
func (p *Phone) ssaidFor(cert []byte) string {
	key, _ := hex.DecodeString(p.SSAIDKey)
	m := hmac.New(sha256.New, key)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(cert)))
	m.Write(n[:])
	m.Write(cert)
	return hex.EncodeToString(m.Sum(nil))[:16]
}
