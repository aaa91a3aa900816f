package report

// Exposure summarises what the inputs expose, led by what MIUI Cloud
// Messaging was caught sending in 2014: own phone numbers, IMSI, ICCID, IMEI,
// contacts and received SMS. Values here are the real values; the page masks
// them by default. Secrets (passwords, keys, tokens) are only counted.
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
	Count  int            `json:"count"`
	Values []ExposedValue `json:"values"`
}

// ExposedValue is one distinct value and every place it was found.
type ExposedValue struct {
	Value   string   `json:"value"`
	Valid   bool     `json:"valid"`
	Sources []string `json:"sources"`
}

// ContactsExposure counts address-book data about other people.
type ContactsExposure struct {
	Entries   int            `json:"entries"` // live raw contacts
	People    int            `json:"people"`  // distinct people (by name + numbers)
	Phones    int            `json:"phones"`
	Emails    int            `json:"emails"`
	ByAccount []AccountCount `json:"byAccount"`
	ToXiaomi  int            `json:"toXiaomi"` // entries in a Xiaomi (Mi Cloud) account
	ToGoogle  int            `json:"toGoogle"`
	Sources   []string       `json:"sources"`
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
	Correspondents int      `json:"correspondents"`
	Sources        []string `json:"sources"`
}

// ExposedAccount is an account found on the device.
type ExposedAccount struct {
	Type    string   `json:"type"`
	Kind    string   `json:"kind"`
	Name    string   `json:"name"`
	Sources []string `json:"sources"`
}

// DeviceExposure lists device identity values.
type DeviceExposure struct {
	AndroidIDs   int      `json:"androidIds"`
	Serials      []string `json:"serials,omitempty"`
	Codename     string   `json:"codename,omitempty"`
	Model        string   `json:"model,omitempty"`
	ROM          string   `json:"rom,omitempty"`
	BackupTime   *Time    `json:"backupTime,omitempty"`
	OwnerProfile bool     `json:"ownerProfile"`
}

// MessagesExposure counts messages by kind and direction.
type MessagesExposure struct {
	SMS            int   `json:"sms"`
	MMS            int   `json:"mms"`
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
	First           *Time          `json:"first,omitempty"`
	Last            *Time          `json:"last,omitempty"`
}

// WifiExposure counts saved networks; passwords are counted, never shown.
type WifiExposure struct {
	Networks     int `json:"networks"`
	WithPassword int `json:"withPassword"`
}

// BluetoothExposure counts paired devices.
type BluetoothExposure struct {
	Devices int `json:"devices"`
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
	Status string `json:"status"` // parsed | encrypted | unknown-format | failed | missing | partial
	Note   string `json:"note,omitempty"`
}
