// Package report defines the one versioned model that the CLI, the page and
// every export share: what a set of inputs holds (messages, contacts, calls,
// identifiers), where each record came from, what the backup exposes, and
// what could not be read.
//
// The JSON encoding is deterministic: arrays are sorted by Finalize, times are
// RFC 3339 UTC with milliseconds, and nothing depends on the wall clock, the
// time zone or the locale of the machine that wrote it. The same inputs give
// byte-identical reports from the CLI and from the page.
package report

import (
	"bytes"
	"encoding/json"
	"time"
)

// Schema identifies the report format. It changes only when a field changes
// meaning or is removed; added fields keep the version.
const Schema = "backup-inspector.report/1"

// GeneratorName is the name written into Generator.Name.
const GeneratorName = "backup-inspector"

// Version is the tool version. The build stamps the same value into the CLI
// and the wasm module with
// -ldflags "-X github.com/backupinspector/backupinspector/parsers/report.Version=…".
var Version = "dev"

// Report is the whole result of inspecting a set of inputs.
type Report struct {
	Schema      string       `json:"schema"`
	Generator   Generator    `json:"generator"`
	Inputs      []Input      `json:"inputs"`
	Device      Device       `json:"device"`
	Exposure    Exposure     `json:"exposure"`
	Messages    []Message    `json:"messages"`
	Contacts    []Contact    `json:"contacts"`
	Calls       []Call       `json:"calls"`
	Identifiers []Identifier `json:"identifiers"`
	Apps        []App        `json:"apps"`
	Files       []File       `json:"files"`
	Databases   []Database   `json:"databases"`
	Deleted     Deleted      `json:"deleted"`
	Recovered   []Recovered  `json:"recovered"`
	Payloads    []Payload    `json:"payloads"`
	Indicators  *Indicators  `json:"indicators,omitempty"`
	Problems    []Problem    `json:"problems"`
	Limits      Limits       `json:"limits"`
}

// Deleted holds records that were deleted but are still present in the
// inputs: rows flagged deleted (contacts' soft delete, MIUI's deleted
// messages) and rows recovered from free space, free pages, WAL frames and
// journals. They are kept apart from the live arrays and counts.
type Deleted struct {
	Messages []Message `json:"messages"`
	Contacts []Contact `json:"contacts"`
	Calls    []Call    `json:"calls"`
}

// Limits are the guards and budgets that were in force, so a reader of the
// report knows what was deliberately not opened.
type Limits struct {
	MaxRatio      float64 `json:"maxRatio"`      // largest accepted expansion ratio of a compressed stream…
	RatioMinBytes int64   `json:"ratioMinBytes"` // …once it has produced this many bytes
	MaxTotalRatio float64 `json:"maxTotalRatio"` // largest total expansion of one input…
	TotalMinBytes int64   `json:"totalMinBytes"` // …once its decompressors have produced this many bytes
	MaxDepth      int     `json:"maxDepth"`      // deepest container nesting opened
	MaxEntries    int     `json:"maxEntries"`    // most entries read from one archive
	SpoolLimit    int64   `json:"spoolLimit"`    // bytes of databases/zips held in memory when found inside streams
	MemoryBudget  int64   `json:"memoryBudget"`  // bytes the whole inspection may hold
}

// Generator names the program and version that wrote the report.
type Generator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Input is one thing the user gave: a file or a folder. Name is the file's
// base name or the folder's name; it is the first segment of every source
// path of records read from it.
type Input struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"` // empty for folders (their files are listed in Files)
	Format string `json:"format"`
}

// File is one file found at any depth, containers included.
type File struct {
	Path      string `json:"path"` // provenance path, segments joined by "!"
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256,omitempty"`
	Format    string `json:"format,omitempty"`
	Container string `json:"container,omitempty"` // "", or the container kind this file was opened as
}

// Device is what the inputs say about the phone itself.
type Device struct {
	Codename    string   `json:"codename,omitempty"`
	Model       string   `json:"model,omitempty"`
	Brand       string   `json:"brand,omitempty"`
	ROM         string   `json:"rom,omitempty"`
	AndroidSDK  int      `json:"androidSdk,omitempty"`
	Fingerprint string   `json:"fingerprint,omitempty"`
	BackupTime  *Time    `json:"backupTime,omitempty"`
	Sources     []string `json:"sources,omitempty"`
}

// Message directions.
const (
	DirIncoming = "incoming"
	DirOutgoing = "outgoing"
	DirDraft    = "draft"
	DirFailed   = "failed"
	DirOther    = "other"
)

// Message is one SMS or MMS, or one message of a chat app (kind "chat":
// WhatsApp, RCS in Google Messages), whose package is then in App.
type Message struct {
	Kind        string            `json:"kind"`          // sms | mms | chat
	App         string            `json:"app,omitempty"` // package of the app that stored it, when not the SMS provider
	Direction   string            `json:"direction"`     // incoming | outgoing | draft | failed | other
	Address     string            `json:"address"`       // counterpart as stored
	Addresses   []string          `json:"addresses,omitempty"`
	Name        string            `json:"name,omitempty"` // contact name when the source carries one
	Subject     string            `json:"subject,omitempty"`
	Body        string            `json:"body"`
	Time        *Time             `json:"time"`
	SentTime    *Time             `json:"sentTime,omitempty"`
	Read        *bool             `json:"read,omitempty"`
	Thread      string            `json:"thread,omitempty"`
	SubID       *int64            `json:"subId,omitempty"`
	Links       []Link            `json:"links"`
	Attachments []Attachment      `json:"attachments,omitempty"`
	Extra       map[string]string `json:"extra,omitempty"` // vendor columns (MIUI…) worth keeping
	Deleted     bool              `json:"deleted,omitempty"`
	Source      string            `json:"source"`
}

// Link is a URL found in text, normalised.
type Link struct {
	URL       string `json:"url"`               // normalised: lower-case scheme and host, IDN as punycode, trailing punctuation removed
	Text      string `json:"text"`              // as written
	Host      string `json:"host"`              // normalised host
	Display   string `json:"display,omitempty"` // host in Unicode when it is an IDN
	Shortener bool   `json:"shortener,omitempty"`
}

// Attachment is an MMS part or similar.
type Attachment struct {
	Name        string `json:"name,omitempty"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	Present     bool   `json:"present"` // the data (or the file it points to) is in the backup
	Path        string `json:"path,omitempty"`
}

// Contact is one address-book entry (a raw contact).
type Contact struct {
	Name          string    `json:"name"`
	Nickname      string    `json:"nickname,omitempty"`
	Phones        []Phone   `json:"phones"`
	Emails        []string  `json:"emails"`
	Organizations []string  `json:"organizations,omitempty"`
	Addresses     []string  `json:"addresses,omitempty"`
	Notes         []string  `json:"notes,omitempty"`
	Groups        []string  `json:"groups,omitempty"`
	Websites      []string  `json:"websites,omitempty"`
	IMs           []string  `json:"ims,omitempty"`
	Birthday      string    `json:"birthday,omitempty"`
	Photos        int       `json:"photos,omitempty"`
	Accounts      []Account `json:"accounts"`
	Starred       bool      `json:"starred,omitempty"`
	Owner         bool      `json:"owner,omitempty"` // the device owner's own card (profile)
	Deleted       bool      `json:"deleted"`
	Links         []Link    `json:"links,omitempty"`
	// Extra: notes worth keeping, e.g. "recovered" (the confidence and the
	// values not recovered of a contact rebuilt from a database's free
	// space).
	Extra  map[string]string `json:"extra,omitempty"`
	Source string            `json:"source"`
}

// Phone is a contact's number.
type Phone struct {
	Number     string `json:"number"`
	Normalized string `json:"normalized,omitempty"` // E.164 when it can be derived
	Type       string `json:"type,omitempty"`
}

// Account is where a contact syncs to.
type Account struct {
	Type string `json:"type"` // com.google, com.xiaomi, local, sim, com.whatsapp…
	Name string `json:"name,omitempty"`
	Kind string `json:"kind,omitempty"` // google | xiaomi | sim | local | app | other
}

// Call directions.
const (
	CallIncoming  = "incoming"
	CallOutgoing  = "outgoing"
	CallMissed    = "missed"
	CallRejected  = "rejected"
	CallBlocked   = "blocked"
	CallVoicemail = "voicemail"
	CallOther     = "other"
)

// Call is one call-log entry.
type Call struct {
	Number          string            `json:"number"`
	Direction       string            `json:"direction"`
	Time            *Time             `json:"time"`
	DurationSeconds int64             `json:"durationSeconds"`
	Name            string            `json:"name,omitempty"`
	Location        string            `json:"location,omitempty"` // geocoded location
	CountryISO      string            `json:"countryIso,omitempty"`
	PhoneAccount    string            `json:"phoneAccount,omitempty"` // SIM / ICCID / subscription id
	Features        []string          `json:"features,omitempty"`
	Extra           map[string]string `json:"extra,omitempty"`
	Deleted         bool              `json:"deleted,omitempty"`
	Source          string            `json:"source"`
}

// Identifier kinds.
const (
	IDIMEI        = "imei"
	IDMEID        = "meid"
	IDIMSI        = "imsi"
	IDICCID       = "iccid"
	IDEID         = "eid"
	IDPhoneNumber = "phone-number"
	IDAndroidID   = "android-id"
	IDAdvertising = "advertising-id"
	IDSerial      = "serial"
	IDAccount     = "account"
	IDWifi        = "wifi-network"
	IDBluetooth   = "bluetooth-device"
	IDMAC         = "mac-address"
	IDDevice      = "device"
)

// Identifier is a value that identifies the device, the subscriber or an
// account, with where it was found.
type Identifier struct {
	Kind    string            `json:"kind"`
	Value   string            `json:"value"`
	Valid   bool              `json:"valid"`
	Label   string            `json:"label,omitempty"` // e.g. account type, SSID security, SIM slot
	Details map[string]string `json:"details,omitempty"`
	Secret  bool              `json:"secret,omitempty"` // a password/key exists for it (never its value)
	Source  string            `json:"source"`
}

// Problem is something that could not be read, or was read only in part.
type Problem struct {
	Input   string `json:"input"`
	Path    string `json:"path,omitempty"`
	Offset  *int64 `json:"offset,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Warning bool   `json:"warning,omitempty"` // a note that did not prevent reading anything
}

// Database summarises one SQLite database found.
type Database struct {
	Path      string          `json:"path"`
	PageSize  int             `json:"pageSize"`
	Encoding  string          `json:"encoding"`
	WAL       *WALSummary     `json:"wal,omitempty"`
	Journal   bool            `json:"hotJournal,omitempty"`
	Tables    []DatabaseTable `json:"tables"`
	Extractor string          `json:"extractor,omitempty"` // which artifact module read it, if any
}

// WALSummary describes the -wal file applied to a database.
type WALSummary struct {
	Path        string `json:"path"`
	Frames      int    `json:"frames"`
	ValidFrames int    `json:"validFrames"`
	Commits     int    `json:"commits"`
}

// DatabaseTable is one table's summary.
type DatabaseTable struct {
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	Columns      []string `json:"columns"`
	Rows         int64    `json:"rows"`
	RowsMainOnly *int64   `json:"rowsMainOnly,omitempty"` // when a WAL changes the count
}

// Recovered is a deleted or superseded SQLite record found in free space,
// free pages, WAL frames or a rollback journal.
type Recovered struct {
	Database   string            `json:"database"`
	Table      string            `json:"table"`
	RowID      *int64            `json:"rowid"`
	Values     []json.RawMessage `json:"values"`
	Columns    []string          `json:"columns"`
	Source     string            `json:"source"` // freeblock | unallocated | unreferenced | freelist | wal-frame N | journal
	File       string            `json:"file"`   // db | wal | journal: which file the page image is in
	Page       int64             `json:"page"`
	Offset     int64             `json:"offset"` // of the record in the page image
	Confidence float64           `json:"confidence"`
	Superseded bool              `json:"superseded,omitempty"` // an older version of a row that is still live
	Dropped    bool              `json:"dropped,omitempty"`    // its table is no longer in the schema
}

// Payload is data of a format the tool cannot map to records, kept visible
// (a protobuf tree, JSON or hex) rather than dropped.
type Payload struct {
	Path    string          `json:"path"`
	Package string          `json:"package,omitempty"`
	Feature string          `json:"feature,omitempty"`
	Format  string          `json:"format"` // protobuf | json | xml | text | hex
	Size    int64           `json:"size"`
	Tree    json.RawMessage `json:"tree,omitempty"`
	Note    string          `json:"note,omitempty"`
}

// Time is an instant, encoded as RFC 3339 in UTC with milliseconds
// (2020-05-07T13:33:53.593Z).
type Time struct{ time.Time }

// TimeLayout is the encoding of Time.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// NewTime returns t in UTC, or nil when t is the zero time.
func NewTime(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &Time{t.UTC()}
}

// UnixMilli returns the time of a Unix epoch value in milliseconds, or nil for 0.
func UnixMilli(ms int64) *Time {
	if ms == 0 {
		return nil
	}
	return &Time{time.UnixMilli(ms).UTC()}
}

// String returns the encoded form.
func (t Time) String() string { return t.UTC().Format(TimeLayout) }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.String() + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	t.Time = v.UTC()
	return nil
}

// Encode writes r as indented JSON with a trailing newline. HTML characters
// are not escaped (the page renders text safely), so the bytes read as written.
func Encode(r *Report) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// App is an Android package present in the inputs: backed up in an .ab or
// MIUI .bak, listed in a MIUI descript.xml, or found as a data folder.
type App struct {
	Package     string   `json:"package"`
	Labels      []string `json:"labels,omitempty"`   // display labels (MIUI .bak headers, descript.xml file names)
	Features    []int    `json:"features,omitempty"` // MIUI feature ids backed up
	VersionCode int64    `json:"versionCode,omitempty"`
	Installer   string   `json:"installer,omitempty"`
	SDK         int      `json:"sdk,omitempty"` // platform SDK of the device that made the backup
	APK         bool     `json:"apk,omitempty"` // the APK itself is in the backup
	// CertSHA256 are SHA-256 fingerprints (lower-case hex) of the signing
	// certificates listed in the backup's _manifest.
	CertSHA256 []string `json:"certSha256,omitempty"`
	XSpace     bool     `json:"xspace,omitempty"`    // backed up from MIUI's second space
	Encrypted  bool     `json:"encrypted,omitempty"` // its backup is encrypted
	Sources    []string `json:"sources"`
}
