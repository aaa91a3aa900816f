package vcard

import (
	"strings"
	"unicode"
)

// Android ContactsContract type codes used in Entry (artifacts.md §2.4).
const (
	TypeCustom = 0

	PhoneHome        = 1
	PhoneMobile      = 2
	PhoneWork        = 3
	PhoneFaxWork     = 4
	PhoneFaxHome     = 5
	PhonePager       = 6
	PhoneOther       = 7
	PhoneCallback    = 8
	PhoneCar         = 9
	PhoneCompanyMain = 10
	PhoneISDN        = 11
	PhoneMain        = 12
	PhoneOtherFax    = 13
	PhoneRadio       = 14
	PhoneTelex       = 15
	PhoneTTYTDD      = 16
	PhoneWorkMobile  = 17
	PhoneWorkPager   = 18
	PhoneAssistant   = 19
	PhoneMMS         = 20

	EmailHome   = 1
	EmailWork   = 2
	EmailOther  = 3
	EmailMobile = 4

	PostalHome  = 1
	PostalWork  = 2
	PostalOther = 3

	OrgWork = 1

	EventAnniversary = 1
	EventOther       = 2
	EventBirthday    = 3

	IMHome = 1
)

// IM protocol codes (Im.PROTOCOL_*).
const (
	ProtoCustom     = -1
	ProtoAIM        = 0
	ProtoMSN        = 1
	ProtoYahoo      = 2
	ProtoSkype      = 3
	ProtoQQ         = 4
	ProtoGoogleTalk = 5
	ProtoICQ        = 6
	ProtoJabber     = 7
	ProtoNetMeeting = 8
)

// Mimetypes of X-ANDROID-CUSTOM values Entry maps to fields.
const (
	MimeNickname = "vnd.android.cursor.item/nickname"
	MimeEvent    = "vnd.android.cursor.item/contact_event"
	MimeRelation = "vnd.android.cursor.item/relation"
)

// Name is the structured name.
type Name struct {
	Display, Family, Given, Middle, Prefix, Suffix string
	PhoneticFamily, PhoneticGiven, PhoneticMiddle  string
}

// Phone is one TEL.
type Phone struct {
	Number  string // as written (a "tel:" URI prefix removed)
	Type    int    // Phone* constant; TypeCustom with Label
	Label   string
	Primary bool
}

// Email is one EMAIL.
type Email struct {
	Address string
	Type    int
	Label   string
	Primary bool
}

// Address is one ADR.
type Address struct {
	POBox, Extended, Street, City, Region, PostalCode, Country string // Street includes Extended, as Android stores it
	Formatted                                                  string // non-empty parts joined by spaces
	Type                                                       int
	Label                                                      string
}

// Organization is an ORG (with its TITLE).
type Organization struct {
	Company, Department, Title, PhoneticName string
	Type                                     int
}

// IM is an instant-messaging handle.
type IM struct {
	Handle   string
	Protocol int // Proto* constant
	Custom   string
	Type     int
}

// Event is a birthday, anniversary or other date.
type Event struct {
	Date  string
	Type  int
	Label string
}

// Relation is a related person.
type Relation struct {
	Name  string
	Type  int
	Label string
}

// Custom is an X-ANDROID-CUSTOM value that Entry does not map: the
// mimetype and its data1…data15 fields.
type Custom struct {
	Mimetype string
	Data     []string
}

// Entry is a card mapped onto Android contact data kinds.
type Entry struct {
	Name          Name
	Nicknames     []string
	Phones        []Phone
	Emails        []Email
	Addresses     []Address
	Organizations []Organization
	Notes         []string
	Websites      []string
	IMs           []IM
	SIPs          []string
	Events        []Event
	Relations     []Relation
	Photos        int // PHOTO properties with decodable data or a URI
	PhotoURIs     []string
	Customs       []Custom
	Categories    []string
}

// Birthday returns the first birthday event's date, or "".
func (e *Entry) Birthday() string {
	for _, ev := range e.Events {
		if ev.Type == EventBirthday {
			return ev.Date
		}
	}
	return ""
}

// Entry maps the card's properties onto contact data kinds, following
// the rules of Android's own importer (com.android.vcard.VCardEntry).
func (c *Card) Entry() *Entry {
	e := &Entry{}
	var fn string
	var nComps []string
	var sortAs []string
	var soundComps []string
	for i := range c.Properties {
		p := &c.Properties[i]
		switch p.Name {
		case "FN":
			if fn == "" {
				fn = strings.TrimSpace(c.Text(p))
			}
		case "N":
			if nComps == nil {
				nComps = c.Components(p)
				if s := p.Param("SORT-AS"); s != "" {
					sortAs = strings.Split(s, ";")
				}
			}
		case "SOUND":
			if p.HasType("X-IRMC-N") && soundComps == nil {
				soundComps = c.Components(p)
			}
		case "SORT-STRING":
			if e.Name.PhoneticGiven == "" {
				e.Name.PhoneticGiven = c.Text(p)
			}
		case "X-PHONETIC-FIRST-NAME":
			e.Name.PhoneticGiven = c.Text(p)
		case "X-PHONETIC-MIDDLE-NAME":
			e.Name.PhoneticMiddle = c.Text(p)
		case "X-PHONETIC-LAST-NAME":
			e.Name.PhoneticFamily = c.Text(p)
		case "NICKNAME":
			for _, n := range c.List(p) {
				if n = strings.TrimSpace(n); n != "" {
					e.Nicknames = append(e.Nicknames, n)
				}
			}
		case "TEL":
			num := strings.TrimSpace(c.Text(p))
			low := strings.ToLower(num)
			if strings.HasPrefix(low, "sip:") {
				e.SIPs = append(e.SIPs, num[4:])
				continue
			}
			if strings.HasPrefix(low, "tel:") {
				num = num[4:]
			}
			if num == "" {
				continue
			}
			typ, label, pref := phoneType(p.RawTypes())
			e.Phones = append(e.Phones, Phone{Number: num, Type: typ, Label: label, Primary: pref})
		case "EMAIL":
			addr := strings.TrimSpace(c.Text(p))
			if addr == "" {
				continue
			}
			typ, label, pref := emailType(p.RawTypes())
			e.Emails = append(e.Emails, Email{Address: addr, Type: typ, Label: label, Primary: pref})
		case "ADR":
			comps := c.Components(p)
			for len(comps) < 7 {
				comps = append(comps, "")
			}
			a := Address{POBox: comps[0], Extended: comps[1], Street: comps[2], City: comps[3], Region: comps[4], PostalCode: comps[5], Country: comps[6]}
			// Like Android's importer, the extended address joins the
			// street (many writers put the street there).
			switch {
			case a.Street == "":
				a.Street = a.Extended
			case a.Extended != "":
				a.Street += " " + a.Extended
			}
			var parts []string
			for _, s := range comps[:7] {
				if s = strings.TrimSpace(s); s != "" {
					parts = append(parts, s)
				}
			}
			if len(parts) == 0 {
				continue
			}
			a.Formatted = strings.Join(parts, " ")
			a.Type, a.Label = postalType(p.RawTypes())
			e.Addresses = append(e.Addresses, a)
		case "ORG":
			comps := c.Components(p)
			o := Organization{Company: comps[0], Type: OrgWork}
			if len(comps) > 1 {
				o.Department = strings.Join(comps[1:], " ")
			}
			if s := p.Param("SORT-AS"); s != "" {
				o.PhoneticName = strings.ReplaceAll(s, ";", "")
			}
			placed := false
			for j := range e.Organizations {
				q := &e.Organizations[j]
				if q.Company == "" && q.Department == "" && q.Title != "" {
					q.Company, q.Department, q.PhoneticName = o.Company, o.Department, o.PhoneticName
					placed = true
					break
				}
			}
			if !placed {
				e.Organizations = append(e.Organizations, o)
			}
		case "TITLE":
			t := c.Text(p)
			placed := false
			for j := range e.Organizations {
				q := &e.Organizations[j]
				if q.Title == "" {
					q.Title = t
					placed = true
					break
				}
			}
			if !placed {
				e.Organizations = append(e.Organizations, Organization{Title: t, Type: OrgWork})
			}
		case "NOTE":
			if t := c.Text(p); t != "" {
				e.Notes = append(e.Notes, t)
			}
		case "URL":
			if t := strings.TrimSpace(c.Text(p)); t != "" {
				e.Websites = append(e.Websites, t)
			}
		case "BDAY":
			if t := strings.TrimSpace(c.Text(p)); t != "" {
				e.Events = append(e.Events, Event{Date: t, Type: EventBirthday})
			}
		case "ANNIVERSARY":
			if t := strings.TrimSpace(c.Text(p)); t != "" {
				e.Events = append(e.Events, Event{Date: t, Type: EventAnniversary})
			}
		case "PHOTO", "LOGO":
			if p.Name == "LOGO" {
				continue
			}
			switch {
			case p.Data != nil:
				e.Photos++
			case strings.EqualFold(p.Param("VALUE"), "uri") || strings.HasPrefix(strings.ToLower(p.Value), "data:") ||
				strings.HasPrefix(strings.ToLower(p.Value), "http"):
				e.Photos++
				e.PhotoURIs = append(e.PhotoURIs, p.Value)
			}
		case "X-SIP":
			if t := strings.TrimSpace(c.Text(p)); t != "" {
				e.SIPs = append(e.SIPs, trimScheme(t, "sip:"))
			}
		case "IMPP":
			t := strings.TrimSpace(c.Text(p))
			scheme, rest, ok := strings.Cut(t, ":")
			if !ok {
				e.IMs = append(e.IMs, IM{Handle: t, Protocol: ProtoCustom, Type: IMHome})
				continue
			}
			switch strings.ToLower(scheme) {
			case "sip":
				e.SIPs = append(e.SIPs, rest)
			case "aim":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoAIM, Type: IMHome})
			case "msn", "msnim":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoMSN, Type: IMHome})
			case "ymsgr":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoYahoo, Type: IMHome})
			case "skype", "callto":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoSkype, Type: IMHome})
			case "xmpp", "gtalk":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoJabber, Type: IMHome})
			case "icq":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoICQ, Type: IMHome})
			case "qq":
				e.IMs = append(e.IMs, IM{Handle: rest, Protocol: ProtoQQ, Type: IMHome})
			default:
				e.IMs = append(e.IMs, IM{Handle: t, Protocol: ProtoCustom, Custom: scheme, Type: IMHome})
			}
		case "X-AIM", "X-MSN", "X-YAHOO", "X-SKYPE-USERNAME", "X-SKYPE", "X-QQ", "X-GOOGLE-TALK", "X-ICQ", "X-JABBER", "X-NETMEETING":
			t := strings.TrimSpace(c.Text(p))
			if t == "" {
				continue
			}
			e.IMs = append(e.IMs, IM{Handle: t, Protocol: imProtocol[p.Name], Type: IMHome})
		case "X-ANDROID-CUSTOM":
			comps := c.Components(p)
			mime := strings.TrimSpace(comps[0])
			data := comps[1:]
			get := func(i int) string {
				if i < len(data) {
					return data[i]
				}
				return ""
			}
			switch mime {
			case MimeNickname:
				if get(0) != "" {
					e.Nicknames = append(e.Nicknames, get(0))
				}
			case MimeEvent:
				if get(0) != "" {
					e.Events = append(e.Events, Event{Date: get(0), Type: atoiDefault(get(1), EventOther), Label: get(2)})
				}
			case MimeRelation:
				if get(0) != "" {
					e.Relations = append(e.Relations, Relation{Name: get(0), Type: atoiDefault(get(1), TypeCustom), Label: get(2)})
				}
			default:
				e.Customs = append(e.Customs, Custom{Mimetype: mime, Data: data})
			}
		case "CATEGORIES":
			for _, s := range c.List(p) {
				if s = strings.TrimSpace(s); s != "" {
					e.Categories = append(e.Categories, s)
				}
			}
		}
	}
	// Name from N.
	if nComps != nil {
		get := func(i int) string {
			if i < len(nComps) {
				return strings.TrimSpace(nComps[i])
			}
			return ""
		}
		e.Name.Family, e.Name.Given, e.Name.Middle, e.Name.Prefix, e.Name.Suffix = get(0), get(1), get(2), get(3), get(4)
		if len(sortAs) > 0 {
			e.Name.PhoneticFamily = sortAs[0]
			if len(sortAs) > 1 {
				e.Name.PhoneticGiven = sortAs[1]
			}
		}
	}
	if soundComps != nil {
		var nonEmpty []string
		for _, s := range soundComps {
			if s != "" {
				nonEmpty = append(nonEmpty, s)
			}
		}
		switch {
		case len(nonEmpty) == 1:
			e.Name.PhoneticGiven = nonEmpty[0]
		case len(nonEmpty) > 1:
			e.Name.PhoneticFamily = soundComps[0]
			if len(soundComps) > 1 {
				e.Name.PhoneticGiven = soundComps[1]
			}
			if len(soundComps) > 2 {
				e.Name.PhoneticMiddle = soundComps[2]
			}
		}
	}
	e.Name.Display = fn
	if e.Name.Display == "" {
		e.Name.Display = displayFromParts(e.Name)
	}
	if e.Name.Display == "" {
		switch {
		case len(e.Nicknames) > 0:
			e.Name.Display = e.Nicknames[0]
		case len(e.Organizations) > 0 && e.Organizations[0].Company != "":
			e.Name.Display = e.Organizations[0].Company
		case len(e.Emails) > 0:
			e.Name.Display = e.Emails[0].Address
		case len(e.Phones) > 0:
			e.Name.Display = e.Phones[0].Number
		}
	}
	return e
}

var imProtocol = map[string]int{
	"X-AIM": ProtoAIM, "X-MSN": ProtoMSN, "X-YAHOO": ProtoYahoo, "X-SKYPE-USERNAME": ProtoSkype, "X-SKYPE": ProtoSkype,
	"X-QQ": ProtoQQ, "X-GOOGLE-TALK": ProtoGoogleTalk, "X-ICQ": ProtoICQ, "X-JABBER": ProtoJabber, "X-NETMEETING": ProtoNetMeeting,
}

func trimScheme(s, scheme string) string {
	if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
		return s[len(scheme):]
	}
	return s
}

func atoiDefault(s string, def int) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return def
	}
	n := 0
	neg := false
	for i, c := range s {
		if i == 0 && c == '-' {
			neg = true
			continue
		}
		if c < '0' || c > '9' || n > 1e6 {
			return def
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n
}

// displayFromParts builds a display name from N components: Western order
// (prefix given middle family suffix) for Latin script, family-first
// without spaces inside for CJK.
func displayFromParts(n Name) string {
	cjk := false
	for _, s := range []string{n.Family, n.Given, n.Middle} {
		for _, r := range s {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
				cjk = true
			}
		}
	}
	var parts []string
	add := func(s ...string) {
		for _, x := range s {
			if x != "" {
				parts = append(parts, x)
			}
		}
	}
	if cjk {
		add(n.Prefix, n.Family, n.Middle, n.Given, n.Suffix)
	} else {
		add(n.Prefix, n.Given, n.Middle, n.Family, n.Suffix)
	}
	return strings.Join(parts, " ")
}

// labelOf turns a TYPE value that is not a known type into a custom label
// ("X-NEC-SECRET" → "NEC-SECRET").
func labelOf(t string) string {
	if len(t) > 2 && strings.EqualFold(t[:2], "X-") {
		return t[2:]
	}
	return t
}

var phoneTypeWords = map[string]int{
	"CAR": PhoneCar, "ISDN": PhoneISDN, "CALLBACK": PhoneCallback, "COMPANY-MAIN": PhoneCompanyMain,
	"MAIN": PhoneMain, "RADIO": PhoneRadio, "TELEX": PhoneTelex, "TLX": PhoneTelex, "TTY-TDD": PhoneTTYTDD,
	"TEXTPHONE": PhoneTTYTDD, "ASSISTANT": PhoneAssistant, "MMS": PhoneMMS, "OTHER": PhoneOther,
}

// phoneType maps TEL TYPE values to an Android phone type, a custom label
// and the PREF flag.
func phoneType(types []string) (int, string, bool) {
	var home, work, cell, pager, fax, pref, voice bool
	strong := -1
	label := ""
	for _, raw := range types {
		t := strings.ToUpper(raw)
		switch t {
		case "PREF":
			pref = true
		case "HOME":
			home = true
		case "WORK":
			work = true
		case "CELL", "MOBILE":
			cell = true
		case "PAGER":
			pager = true
		case "FAX":
			fax = true
		case "VOICE":
			voice = true
		case "MSG", "INTERNET":
		default:
			key := t
			if strings.HasPrefix(key, "X-") {
				key = key[2:]
			}
			if v, ok := phoneTypeWords[key]; ok {
				if strong < 0 {
					strong = v
				}
			} else if label == "" && raw != "" {
				label = labelOf(raw)
			}
		}
	}
	switch {
	case pager:
		return PhonePager, "", pref
	case fax && home:
		return PhoneFaxHome, "", pref
	case fax && work:
		return PhoneFaxWork, "", pref
	case fax:
		return PhoneOtherFax, "", pref
	case cell && work:
		return PhoneWorkMobile, "", pref
	case cell:
		return PhoneMobile, "", pref
	case home:
		return PhoneHome, "", pref
	case work:
		return PhoneWork, "", pref
	case strong >= 0:
		return strong, "", pref
	case label != "":
		return TypeCustom, label, pref
	case voice:
		return TypeCustom, "VOICE", pref
	}
	return PhoneHome, "", pref
}

func emailType(types []string) (int, string, bool) {
	pref := false
	typ := -1
	label := ""
	for _, raw := range types {
		t := strings.ToUpper(raw)
		switch t {
		case "PREF":
			pref = true
		case "HOME":
			if typ < 0 {
				typ = EmailHome
			}
		case "WORK":
			if typ < 0 {
				typ = EmailWork
			}
		case "CELL", "MOBILE":
			if typ < 0 {
				typ = EmailMobile
			}
		case "OTHER":
			if typ < 0 {
				typ = EmailOther
			}
		default:
			if label == "" && raw != "" {
				label = labelOf(raw)
			}
		}
	}
	switch {
	case typ >= 0:
		return typ, "", pref
	case label != "":
		return TypeCustom, label, pref
	}
	return EmailOther, "", pref
}

func postalType(types []string) (int, string) {
	label := ""
	for _, raw := range types {
		switch strings.ToUpper(raw) {
		case "HOME":
			return PostalHome, ""
		case "WORK", "COMPANY":
			return PostalWork, ""
		case "OTHER":
			return PostalOther, ""
		case "PREF", "POSTAL", "PARCEL", "DOM", "INTL":
		default:
			if label == "" && raw != "" {
				label = labelOf(raw)
			}
		}
	}
	if label != "" {
		return TypeCustom, label
	}
	return PostalHome, ""
}
