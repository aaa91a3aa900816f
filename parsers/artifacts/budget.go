package artifacts

import "github.com/backupinspector/backupinspector/parsers/report"

// Estimated memory of records, counted against the run's memory budget
// (Context.SetBudget). The costs are fixed numbers rather than
// unsafe.Sizeof so that a budget cuts the same inputs at the same record on
// every platform (the report must not depend on the machine). They are the
// 64-bit sizes of the structs with a quarter added for the spare capacity of
// the growing arrays, and each allocation rounded up; a test checks them
// against the real structs.
const (
	messageBytes    = 330 // report.Message: 264 bytes in the array
	contactBytes    = 430 // report.Contact: 344
	callBytes       = 230 // report.Call: 184
	identifierBytes = 110 // report.Identifier: 88
	payloadBytes    = 160 // report.Payload: 128
	recoveredBytes  = 190 // report.Recovered: 152
	linkBytes       = 90  // report.Link: 72 in the message's slice
	attachmentBytes = 90  // report.Attachment: 72
	phoneBytes      = 60  // report.Phone: 48
	accountBytes    = 60  // report.Account: 48
	sliceElem       = 24  // a string or slice header in a slice
	wordAlloc       = 8   // a *bool, *int64 or *Time's own allocation is counted as
	timeAlloc       = 24  // a report.Time allocation
	mapBase         = 336 // a map of up to 8 entries: its header and one group of 8 slots
	mapEntry        = 40  // a map entry beyond those (two string headers and overhead)
	allocSlack      = 8   // rounding of a string's allocation to its size class
)

func strBytes(s string) int64 {
	if s == "" {
		return 0
	}
	return int64(len(s)) + allocSlack
}

func strsBytes(ss []string) int64 {
	n := int64(len(ss)) * sliceElem
	for _, s := range ss {
		n += strBytes(s)
	}
	return n
}

func mapBytes(m map[string]string) int64 {
	if m == nil {
		return 0
	}
	n := int64(mapBase)
	for k, v := range m {
		n += mapEntry + strBytes(k) + strBytes(v)
	}
	return n
}

func timeBytes(t *report.Time) int64 {
	if t == nil {
		return 0
	}
	return timeAlloc
}

func linksBytes(ls []report.Link) int64 {
	n := int64(len(ls)) * linkBytes
	for _, l := range ls {
		n += strBytes(l.URL) + strBytes(l.Text) + strBytes(l.Host) + strBytes(l.Display)
	}
	return n
}

// MessageBytes is the estimated memory of m in a report.
func MessageBytes(m *report.Message) int64 {
	n := int64(messageBytes) + strBytes(m.Kind) + strBytes(m.App) + strBytes(m.Direction) + strBytes(m.Address) +
		strsBytes(m.Addresses) + strBytes(m.Name) + strBytes(m.Subject) + strBytes(m.Body) +
		timeBytes(m.Time) + timeBytes(m.SentTime) + strBytes(m.Thread) + linksBytes(m.Links) +
		mapBytes(m.Extra) + strBytes(m.Source)
	if m.Read != nil {
		n += wordAlloc
	}
	if m.SubID != nil {
		n += wordAlloc
	}
	for _, a := range m.Attachments {
		n += attachmentBytes + strBytes(a.Name) + strBytes(a.ContentType) + strBytes(a.Path)
	}
	return n
}

// ContactBytes is the estimated memory of c in a report.
func ContactBytes(c *report.Contact) int64 {
	n := int64(contactBytes) + strBytes(c.Name) + strBytes(c.Nickname) + strsBytes(c.Emails) +
		strsBytes(c.Organizations) + strsBytes(c.Addresses) + strsBytes(c.Notes) + strsBytes(c.Groups) +
		strsBytes(c.Websites) + strsBytes(c.IMs) + strBytes(c.Birthday) + linksBytes(c.Links) + strBytes(c.Source)
	for _, p := range c.Phones {
		n += phoneBytes + strBytes(p.Number) + strBytes(p.Normalized) + strBytes(p.Type)
	}
	for _, a := range c.Accounts {
		n += accountBytes + strBytes(a.Type) + strBytes(a.Name) + strBytes(a.Kind)
	}
	return n
}

// CallBytes is the estimated memory of c in a report.
func CallBytes(c *report.Call) int64 {
	return int64(callBytes) + strBytes(c.Number) + strBytes(c.Direction) + timeBytes(c.Time) + strBytes(c.Name) +
		strBytes(c.Location) + strBytes(c.CountryISO) + strBytes(c.PhoneAccount) + strsBytes(c.Features) +
		mapBytes(c.Extra) + strBytes(c.Source)
}
