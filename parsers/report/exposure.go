package report

// Exposure summarises what the inputs expose (artifacts.md §10), led by
// what MIUI Cloud Messaging was caught sending in 2014: own phone numbers,
// IMSI, ICCID, IMEI, contacts and received SMS. Values here are the real
// values; the page masks them by default. Secrets (passwords, keys,
// tokens) are only counted. Every list is sorted, so the summary depends
// only on the records.
type Exposure struct {
	OwnNumbers  ExposedValues       `json:"ownNumbers"`
	IMSIs       ExposedValues       `json:"imsis"`
	ICCIDs      ExposedValues       `json:"iccids"`
	IMEIs       ExposedValues       `json:"imeis"`
	Contacts    ContactsExposure    `json:"contacts"`
	ReceivedSMS ReceivedSMSExposure `json:"receivedSms"`
	// NumberWithIMSI is set when an own phone number and an IMSI are both
	// present; NumberWithIMSIAndIMEI when an IMEI is present too: the
	// combination at the centre of the 2014 MIUI Cloud Messaging findings.
	NumberWithIMSI        bool `json:"numberWithImsi"`
	NumberWithIMSIAndIMEI bool `json:"numberWithImsiAndImei"`
	// Together lists the sources (files) where the combination appears,
	// and whether it appears within one file.
	Together TogetherExposure `json:"together"`

	// SIMs lists each SIM card or eSIM profile seen (siminfo history and
	// MIUI SIM records), current and past.
	SIMs      []SIMExposure     `json:"sims"`
	EIDs      ExposedValues     `json:"eids"`
	Accounts  []ExposedAccount  `json:"accounts"`
	Device    DeviceExposure    `json:"device"`
	Messages  MessagesExposure  `json:"messages"`
	Calls     CallsExposure     `json:"calls"`
	Wifi      WifiExposure      `json:"wifi"`
	Bluetooth BluetoothExposure `json:"bluetooth"`
	Deleted   DeletedExposure   `json:"deleted"`
	Coverage  []CoverageItem    `json:"coverage"`
	Limits    []string          `json:"limits"`
}

// ExposedValues is a set of distinct values of one kind with their sources.
type ExposedValues struct {
	Count int `json:"count"` // distinct values
	// Confirmed counts the values that passed validation (checksum,
	// format and context, artifacts.md §4.10).
	Confirmed int            `json:"confirmed"`
	Values    []ExposedValue `json:"values"`
}

// ExposedValue is one distinct value and every place it was found.
type ExposedValue struct {
	Value   string   `json:"value"`
	Valid   bool     `json:"valid"`
	Labels  []string `json:"labels,omitempty"` // how the sources describe it (SIM slot, property name…)
	Sources []string `json:"sources"`
}

// TogetherExposure says where own number, IMSI and IMEI were found.
type TogetherExposure struct {
	NumberSources []string `json:"numberSources"` // files holding an own number
	IMSISources   []string `json:"imsiSources"`
	IMEISources   []string `json:"imeiSources"`
	// SameFile lists files that hold an own number and an IMSI.
	SameFile []string `json:"sameFile"`
}

// SIMExposure is one SIM card or eSIM profile.
type SIMExposure struct {
	ICCID    string   `json:"iccid,omitempty"`
	IMSI     string   `json:"imsi,omitempty"`
	Numbers  []string `json:"numbers,omitempty"`
	Carrier  string   `json:"carrier,omitempty"`
	Country  string   `json:"country,omitempty"`
	Slot     string   `json:"slot,omitempty"` // "0", "1"… or "removed"
	Embedded bool     `json:"embedded,omitempty"`
	Source   string   `json:"source"`
}

// ContactsExposure counts address-book data about other people (the
// owner's own card is counted apart, in Device.OwnerProfile).
type ContactsExposure struct {
	Entries int `json:"entries"` // live raw contacts (address-book entries)
	People  int `json:"people"`  // distinct people (by name + numbers)
	Phones  int `json:"phones"`
	Emails  int `json:"emails"`
	// Addresses … Organizations count entries' data of those kinds.
	Addresses     int            `json:"addresses"`
	Birthdays     int            `json:"birthdays"`
	Photos        int            `json:"photos"`
	Notes         int            `json:"notes"`
	Organizations int            `json:"organizations"`
	Starred       int            `json:"starred"`
	ByAccount     []AccountCount `json:"byAccount"`
	// ByKind counts entries by account kind: google, xiaomi, sim, local,
	// app, other (no account recorded: vCard files, MIUI payloads).
	ByKind   map[string]int `json:"byKind"`
	ToXiaomi int            `json:"toXiaomi"` // entries in a Xiaomi (Mi Cloud) account
	ToGoogle int            `json:"toGoogle"`
	Sources  []string       `json:"sources"`
}

// AccountCount is how many contacts belong to one account.
type AccountCount struct {
	Type  string `json:"type"`
	Kind  string `json:"kind"`
	Name  string `json:"name,omitempty"`
	Count int    `json:"count"`
}

// ReceivedSMSExposure summarises received text messages.
type ReceivedSMSExposure struct {
	Count          int      `json:"count"`
	First          *Time    `json:"first,omitempty"`
	Last           *Time    `json:"last,omitempty"`
	Correspondents int      `json:"correspondents"` // distinct senders, own numbers excluded
	Sources        []string `json:"sources"`
}

// ExposedAccount is an account found on the device.
type ExposedAccount struct {
	Type string `json:"type"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Credentials is set when a password, auth token or secret user data
	// is stored for the account (never shown).
	Credentials bool     `json:"credentials"`
	Syncs       string   `json:"syncs,omitempty"` // authorities it syncs (accounts.xml)
	Sources     []string `json:"sources"`
}

// DeviceExposure lists device identity values.
type DeviceExposure struct {
	AndroidIDs     int      `json:"androidIds"` // distinct Android IDs / SSAIDs
	AppsWithSSAID  int      `json:"appsWithSsaid"`
	AdvertisingIDs int      `json:"advertisingIds"`
	Serials        []string `json:"serials,omitempty"`
	MEIDs          []string `json:"meids,omitempty"`
	Codename       string   `json:"codename,omitempty"`
	Model          string   `json:"model,omitempty"`
	Brand          string   `json:"brand,omitempty"`
	ROM            string   `json:"rom,omitempty"`
	AndroidSDK     int      `json:"androidSdk,omitempty"`
	BackupTime     *Time    `json:"backupTime,omitempty"`
	DeviceNames    []string `json:"deviceNames,omitempty"`
	OwnerProfile   bool     `json:"ownerProfile"`
}

// MessagesExposure counts messages by kind and direction.
type MessagesExposure struct {
	SMS            int   `json:"sms"`
	MMS            int   `json:"mms"`
	Chat           int   `json:"chat,omitempty"` // messages of chat apps (kind "chat": WhatsApp, RCS)
	Received       int   `json:"received"`
	Sent           int   `json:"sent"`
	Drafts         int   `json:"drafts"`
	Failed         int   `json:"failed"`
	Correspondents int   `json:"correspondents"`
	Conversations  int   `json:"conversations"`
	WithLinks      int   `json:"withLinks"`
	Attachments    int   `json:"attachments"`
	First          *Time `json:"first,omitempty"`
	Last           *Time `json:"last,omitempty"`
}

// CallsExposure counts calls.
type CallsExposure struct {
	Total           int            `json:"total"`
	ByDirection     map[string]int `json:"byDirection"`
	TalkSeconds     int64          `json:"talkSeconds"`
	DistinctNumbers int            `json:"distinctNumbers"`
	Countries       []string       `json:"countries,omitempty"`
	First           *Time          `json:"first,omitempty"`
	Last            *Time          `json:"last,omitempty"`
}

// WifiExposure counts saved networks; passwords are counted, never shown.
type WifiExposure struct {
	Networks     int      `json:"networks"` // distinct SSIDs
	WithPassword int      `json:"withPassword"`
	Open         int      `json:"open"`
	Hidden       int      `json:"hidden"`
	Hotspots     int      `json:"hotspots"`
	RouterMACs   int      `json:"routerMacs"` // distinct BSSIDs / gateway MACs (locate the networks)
	SSIDs        []string `json:"ssids"`
}

// BluetoothExposure counts paired devices; link keys are counted only.
type BluetoothExposure struct {
	Devices        int      `json:"devices"` // distinct paired devices
	WithKeys       int      `json:"withKeys"`
	Names          []string `json:"names,omitempty"`
	AdapterName    string   `json:"adapterName,omitempty"`
	AdapterAddress string   `json:"adapterAddress,omitempty"`
}

// DeletedExposure counts deleted-but-present records.
type DeletedExposure struct {
	Messages int `json:"messages"`
	Contacts int `json:"contacts"`
	Calls    int `json:"calls"`
	Records  int `json:"records"` // every recovered SQLite record
}

// CoverageItem says what happened to one input or container.
type CoverageItem struct {
	Path   string `json:"path"`
	Status string `json:"status"` // parsed | encrypted | unknown-format | failed | missing | partial | not-decoded
	Note   string `json:"note,omitempty"`
}
