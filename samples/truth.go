//go:build !js

package samples

import (
	"encoding/json"
	"os"
	"sort"
	"time"
)

// TruthSchema is the version of the truth-file layout (see README.md).
const TruthSchema = 1

// Truth is the ground truth written next to every sample as
// <name>.truth.json: what a correct reader must find in that file.
type Truth struct {
	Schema      int               `json:"schema"`
	Kind        string            `json:"kind"`
	Variant     string            `json:"variant,omitempty"`
	Seed        uint64            `json:"seed"`
	File        string            `json:"file"`
	Companions  []string          `json:"companions,omitempty"`
	Password    string            `json:"password,omitempty"`
	Options     TruthOptions      `json:"options"`
	Device      *TruthDevice      `json:"device,omitempty"`
	Messages    *MessageCounts    `json:"messages,omitempty"`
	Contacts    *ContactCounts    `json:"contacts,omitempty"`
	Owner       *TruthContact     `json:"owner,omitempty"`
	Calls       *CallCounts       `json:"calls,omitempty"`
	Identifiers *TruthIdentifiers `json:"identifiers,omitempty"`
	ThirdParty  []TruthApp        `json:"third_party,omitempty"`
	Examples    TruthExamples     `json:"examples"`
	Secrets     []string          `json:"secrets,omitempty"`
	Removed     *TruthRemoved     `json:"removed,omitempty"`
	TarSHA256   string            `json:"tar_sha256,omitempty"`
	TarSize     int64             `json:"tar_size,omitempty"`
	Entries     []TruthEntry      `json:"entries,omitempty"`
	Notes       []string          `json:"notes,omitempty"`
}

// TruthOptions echoes the generator options.
type TruthOptions struct {
	Hostile bool  `json:"hostile"`
	Deleted bool  `json:"deleted"`
	Size    int64 `json:"size,omitempty"`
}

// TruthDevice is what the sample says about the handset.
type TruthDevice struct {
	Codename       string `json:"codename,omitempty"`
	Model          string `json:"model,omitempty"`
	Manufacturer   string `json:"manufacturer,omitempty"`
	ROM            string `json:"rom,omitempty"`
	AndroidRelease string `json:"android_release,omitempty"`
	SDK            int    `json:"sdk,omitempty"`
	BackupTime     string `json:"backup_time,omitempty"`
}

// MessageCounts counts live SMS/MMS records. incoming = box 1; outgoing =
// boxes 2, 4, 5, 6 (sent, outbox, failed, queued); drafts = box 3.
type MessageCounts struct {
	Total       int            `json:"total"`
	SMS         int            `json:"sms"`
	MMS         int            `json:"mms"`
	Incoming    int            `json:"incoming"`
	Outgoing    int            `json:"outgoing"`
	Drafts      int            `json:"drafts"`
	Failed      int            `json:"failed"`
	Unread      int            `json:"unread"`
	SMSByType   map[string]int `json:"sms_by_type"`
	MMSByBox    map[string]int `json:"mms_by_box"`
	Threads     int            `json:"threads"`
	WALOnly     int            `json:"wal_only,omitempty"`
	Blocked     int            `json:"blocked,omitempty"`
	Attachments int            `json:"attachments"`
}

// ContactCounts counts live raw contacts (address-book entries).
type ContactCounts struct {
	Total         int            `json:"total"`
	ByAccountType map[string]int `json:"by_account_type,omitempty"`
	SoftDeleted   int            `json:"soft_deleted"`
	Phones        int            `json:"phones"`
	Emails        int            `json:"emails"`
}

// CallCounts counts live call-log rows by direction.
type CallCounts struct {
	Total  int            `json:"total"`
	ByType map[string]int `json:"by_type"`
}

// TruthIdentifiers lists every identifier the sample carries.
type TruthIdentifiers struct {
	IMEIs      []string        `json:"imeis"`
	IMSIs      []string        `json:"imsis"`
	ICCIDs     []string        `json:"iccids"`
	OwnNumbers []string        `json:"own_numbers"`
	AndroidIDs []string        `json:"android_ids"`
	Serial     string          `json:"serial,omitempty"`
	Accounts   []TruthAccount  `json:"accounts"`
	Wifi       *TruthWifi      `json:"wifi,omitempty"`
	Bluetooth  *TruthBluetooth `json:"bluetooth,omitempty"`
}

// TruthAccount is an account (type + name).
type TruthAccount struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// TruthWifi summarises saved networks. Passwords are only in Secrets.
type TruthWifi struct {
	Networks        []TruthWifiNet `json:"networks"`
	WithPassword    int            `json:"with_password"`
	WithoutPassword int            `json:"without_password"`
}

// TruthWifiNet is one saved network.
type TruthWifiNet struct {
	SSID        string `json:"ssid"`
	HasPassword bool   `json:"has_password"`
	Hidden      bool   `json:"hidden,omitempty"`
}

// TruthBluetooth lists the adapter and paired devices.
type TruthBluetooth struct {
	AdapterAddress string          `json:"adapter_address,omitempty"`
	AdapterName    string          `json:"adapter_name,omitempty"`
	Devices        []TruthBTDevice `json:"devices"`
}

// TruthBTDevice is one paired device.
type TruthBTDevice struct {
	Address string `json:"address"`
	Name    string `json:"name"`
}

// TruthApp summarises a third-party app's data.
type TruthApp struct {
	Package  string   `json:"package"`
	User     int      `json:"user,omitempty"`
	Messages int      `json:"messages"`
	Chats    int      `json:"chats"`
	Files    []string `json:"files"`
}

// TruthExamples are a few exact records.
type TruthExamples struct {
	Messages []TruthMessage `json:"messages,omitempty"`
	Contacts []TruthContact `json:"contacts,omitempty"`
	Calls    []TruthCall    `json:"calls,omitempty"`
}

// TruthMessage is one message exactly as a reader must show it.
type TruthMessage struct {
	Kind        string            `json:"kind"`
	Direction   string            `json:"direction"`
	Box         int               `json:"box"`
	Address     string            `json:"address"`
	Recipients  []string          `json:"recipients,omitempty"`
	Body        string            `json:"body"`
	Subject     string            `json:"subject,omitempty"`
	Time        string            `json:"time"`
	SubID       int               `json:"sub_id,omitempty"`
	Attachments []TruthAttachment `json:"attachments,omitempty"`
}

// TruthAttachment is a non-text MMS part.
type TruthAttachment struct {
	ContentType string `json:"content_type"`
	Name        string `json:"name"`
	Size        int64  `json:"size,omitempty"`
}

// TruthContact is one contact.
type TruthContact struct {
	DisplayName string   `json:"display_name"`
	Given       string   `json:"given,omitempty"`
	Family      string   `json:"family,omitempty"`
	Phones      []string `json:"phones"`
	Emails      []string `json:"emails,omitempty"`
	AccountType string   `json:"account_type,omitempty"`
	AccountName string   `json:"account_name,omitempty"`
}

// TruthCall is one call.
type TruthCall struct {
	Number   string `json:"number"`
	Type     string `json:"type"`
	Time     string `json:"time"`
	Duration int    `json:"duration"`
	Name     string `json:"name,omitempty"`
}

// TruthRemoved lists rows the -deleted option removed after writing them.
type TruthRemoved struct {
	Messages []TruthMessage `json:"messages,omitempty"`
	Calls    []TruthCall    `json:"calls,omitempty"`
	Contacts []TruthContact `json:"contacts,omitempty"`
}

// TruthEntry is one file inside a container, with its provenance path
// relative to the sample (segments joined by "!").
type TruthEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ts formats t as RFC 3339 UTC with milliseconds.
func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// WriteTruth writes t as indented JSON to path.
func WriteTruth(path string, t *Truth) error {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadTruth reads a truth file.
func ReadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func direction(box int) string {
	switch box {
	case 1:
		return "incoming"
	case 3:
		return "draft"
	}
	return "outgoing"
}

// countMessages counts the messages for which keep returns true.
func countMessages(ms []*Message, keep func(*Message) bool) *MessageCounts {
	c := &MessageCounts{SMSByType: map[string]int{}, MMSByBox: map[string]int{}}
	threads := map[int]bool{}
	for _, m := range ms {
		if !keep(m) {
			continue
		}
		c.Total++
		threads[m.Thread.ID] = true
		if m.Kind == KindSMS {
			c.SMS++
			c.SMSByType[itoa(m.Box)]++
		} else {
			c.MMS++
			c.MMSByBox[itoa(m.Box)]++
			for _, p := range m.Parts {
				if isAttachment(p) {
					c.Attachments++
				}
			}
		}
		switch m.Box {
		case 1:
			c.Incoming++
			if !m.Read {
				c.Unread++
			}
		case 3:
			c.Drafts++
		default:
			c.Outgoing++
		}
		if m.Box == 5 {
			c.Failed++
		}
		if m.BlockType != 0 {
			c.Blocked++
		}
	}
	c.Threads = len(threads)
	return c
}

func isAttachment(p *Part) bool {
	return p.CT != "text/plain" && p.CT != "application/smil"
}

func truthMessage(m *Message) TruthMessage {
	tm := TruthMessage{Kind: m.Kind, Direction: direction(m.Box), Box: m.Box, Address: m.Address, Body: m.Body, Subject: m.Subject, Time: ts(m.Date), SubID: m.SubID}
	if len(m.Thread.Recipients) > 1 {
		tm.Recipients = append([]string(nil), m.Thread.Recipients...)
	}
	for _, p := range m.Parts {
		if isAttachment(p) {
			tm.Attachments = append(tm.Attachments, TruthAttachment{ContentType: p.CT, Name: p.Name, Size: p.size()})
		}
	}
	return tm
}

func (p *Part) size() int64 {
	if p.BigSize > 0 {
		return p.BigSize
	}
	return int64(len(p.Data))
}

func truthContact(c *Contact) TruthContact {
	tc := TruthContact{DisplayName: c.Display, Given: c.Given, Family: c.Family, AccountType: c.AccountType, AccountName: c.AccountName, Emails: c.Emails}
	for _, ph := range c.Phones {
		tc.Phones = append(tc.Phones, ph.Number)
	}
	return tc
}

func truthCall(c *Call) TruthCall {
	return TruthCall{Number: c.Number, Type: CallTypeNames[c.Type], Time: ts(c.Date), Duration: c.Duration, Name: c.Name}
}

// exampleMessages picks a few diverse messages: the first incoming SMS with
// a contact, an OTP, a non-Latin one, a draft and every MMS with an attachment
// or a group.
func exampleMessages(ms []*Message, keep func(*Message) bool) []TruthMessage {
	var out []TruthMessage
	seen := map[string]bool{}
	add := func(key string, m *Message) {
		if !seen[key] {
			seen[key] = true
			out = append(out, truthMessage(m))
		}
	}
	for _, m := range ms {
		if !keep(m) {
			continue
		}
		switch {
		case m.Kind == KindSMS && m.Box == 1 && m.Thread.Contact != nil:
			add("in", m)
		case m.Kind == KindSMS && m.Box == 2:
			add("out", m)
		case m.Kind == KindSMS && m.Box == 3:
			add("draft", m)
		case m.Kind == KindSMS && m.Thread.Contact == nil:
			add("svc", m)
		case m.Kind == KindMMS && len(m.Thread.Recipients) > 1:
			add("group", m)
		case m.Kind == KindMMS && m.Box == 2:
			add("mms-out", m)
		case m.Kind == KindMMS && m.Box == 1 && m.Body != "":
			add("mms-in", m)
		}
	}
	return out
}

func countContacts(cs []*Contact, includeSoftDeleted bool) *ContactCounts {
	c := &ContactCounts{ByAccountType: map[string]int{}}
	for _, x := range cs {
		if x.Removed {
			continue
		}
		if x.SoftDeleted {
			c.SoftDeleted++
			if !includeSoftDeleted {
				continue
			}
			continue
		}
		c.Total++
		key := x.AccountType
		if key == "" {
			key = "(none)"
		}
		c.ByAccountType[key]++
		c.Phones += len(x.Phones)
		c.Emails += len(x.Emails)
	}
	return c
}

func countCalls(cs []*Call) *CallCounts {
	c := &CallCounts{ByType: map[string]int{}}
	for _, x := range cs {
		if x.Removed {
			continue
		}
		c.Total++
		c.ByType[CallTypeNames[x.Type]]++
	}
	return c
}

func emptyIdentifiers() *TruthIdentifiers {
	return &TruthIdentifiers{IMEIs: []string{}, IMSIs: []string{}, ICCIDs: []string{}, OwnNumbers: []string{}, AndroidIDs: []string{}, Accounts: []TruthAccount{}}
}

func sortedUnique(s []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range s {
		if x != "" && !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func unixMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
